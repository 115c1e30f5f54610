package writing

import (
	"encoding/json"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/judge"
)

func init() {
	register.Function2x1[judge.Stats, judge.Stats, judge.Stats](addStats)
	register.Function2x1[judge.Stats, func(string, string), error](usageExtra)
}

// UsageExtra is the manifest Extra key of the judge usage (a judge.Stats).
const UsageExtra = "judge"

// JudgeUsage sums the per-bundle judge.Stats deltas of a job (a combine) into the
// manifest's Extra "judge", as KV<string, string>.
func JudgeUsage(s beam.Scope, usage beam.PCollection) beam.PCollection {
	s = s.Scope("JudgeUsage")
	return beam.ParDo(s, usageExtra, beam.Combine(s, addStats, usage))
}

func addStats(a, b judge.Stats) judge.Stats { return a.Add(b) }

func usageExtra(st judge.Stats, emit func(string, string)) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode judge usage: %w", err)
	}
	emit(UsageExtra, string(b))
	return nil
}

// UsageOf reads the judge usage back from a manifest's Extra (zero Stats if absent).
func UsageOf(extra map[string]any) (judge.Stats, error) {
	var st judge.Stats
	v, ok := extra[UsageExtra]
	if !ok {
		return st, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, fmt.Errorf("manifest judge usage: %w", err)
	}
	return st, nil
}

// UsageLine is the one-line judge usage printed after a job.
func UsageLine(st judge.Stats) string {
	return fmt.Sprintf("judge: %d requests, %d HTTP calls (%d retries), %d cache hits, %d deduplicated, %d failures (%d bad replies), %d+%d tokens, $%.4f",
		st.Requests, st.HTTPCalls, st.Retries, st.CacheHits, st.Deduplicated, st.Failures, st.BadReplies,
		st.PromptTokens, st.CompletionTokens, st.CostUSD)
}
