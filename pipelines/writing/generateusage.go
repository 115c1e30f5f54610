package writing

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/judge"
)

func init() {
	register.Function2x1[GenerateUsage, GenerateUsage, GenerateUsage](addGenerateUsage)
	register.Function2x1[GenerateUsage, func(string, string), error](generateExtra)
}

// GenerateExtra is the manifest Extra key of writing generate's usage: an object of
// judge.Stats by model name (calls, cache hits, tokens, cost).
const GenerateExtra = "generate"

// ModelStats is one model's usage.
type ModelStats struct {
	Model string
	Stats judge.Stats
}

// GenerateUsage is the usage of some bundles of writing generate, by model.
type GenerateUsage struct {
	Models []ModelStats
}

// Add returns the sum of u and o, model by model, sorted by model name.
func (u GenerateUsage) Add(o GenerateUsage) GenerateUsage {
	by := map[string]judge.Stats{}
	for _, m := range append(append([]ModelStats(nil), u.Models...), o.Models...) {
		by[m.Model] = by[m.Model].Add(m.Stats)
	}
	var out GenerateUsage
	for name, st := range by {
		out.Models = append(out.Models, ModelStats{Model: name, Stats: st})
	}
	sort.Slice(out.Models, func(i, j int) bool { return out.Models[i].Model < out.Models[j].Model })
	return out
}

// GenerationUsage sums the per-bundle usage of writing generate (a combine) into the
// manifest's Extra "generate", as KV<string, string>.
func GenerationUsage(s beam.Scope, usage beam.PCollection) beam.PCollection {
	s = s.Scope("GenerationUsage")
	return beam.ParDo(s, generateExtra, beam.Combine(s, addGenerateUsage, usage))
}

func addGenerateUsage(a, b GenerateUsage) GenerateUsage { return a.Add(b) }

func generateExtra(u GenerateUsage, emit func(string, string)) error {
	by := map[string]judge.Stats{}
	for _, m := range u.Models {
		by[m.Model] = m.Stats
	}
	b, err := json.Marshal(by)
	if err != nil {
		return fmt.Errorf("encode generate usage: %w", err)
	}
	emit(GenerateExtra, string(b))
	return nil
}

// GenerationUsageOf reads writing generate's usage back from a manifest's Extra (nil if
// absent).
func GenerationUsageOf(extra map[string]any) (map[string]judge.Stats, error) {
	v, ok := extra[GenerateExtra]
	if !ok {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var by map[string]judge.Stats
	if err := json.Unmarshal(b, &by); err != nil {
		return nil, fmt.Errorf("manifest generate usage: %w", err)
	}
	return by, nil
}

// GenerationSummary is the per-model summary printed after writing generate: one line a
// model, in name order.
func GenerationSummary(by map[string]judge.Stats) string {
	names := make([]string, 0, len(by))
	for n := range by {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		st := by[n]
		fmt.Fprintf(&b, "generate %s: %d completions, %d HTTP calls (%d retries), %d cache hits, %d failures, %d+%d tokens, $%.4f\n",
			n, st.Requests, st.HTTPCalls, st.Retries, st.CacheHits, st.Failures, st.PromptTokens, st.CompletionTokens, st.CostUSD)
	}
	return b.String()
}
