package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/launch"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/pipelines/writing"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register(command{path: "writing generate", summary: "ask the policy and reference models for their answers to writing prompts (the rows writing select reads)", setup: writingGenerate})
}

// listFlag is a flag that may be given several times, each value also split at commas.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// generateFlagValues are writing generate's flags that need resolving after parsing.
type generateFlagValues struct {
	baseURL, policy string
	refs, prices    listFlag
}

func writingGenerate(fs *flag.FlagSet) func(context.Context) error {
	o := writing.GenerateOptions{}
	v := &generateFlagValues{}
	f := flags{fs}
	f.String(&o.Input, "input", "", "prompts: a path, glob or gs:// URL")
	f.String(&o.Format, "input-format", writing.FormatJSONL, "jsonl {id, prompt, criteria}, writingbench {index, query, checklist, domain1, domain2, lang} or longwriter {messages}")
	f.MaxLineBytes()
	f.String(&o.Output, "output", "", "output prefix (local folder or gs://bucket/path)")
	f.String(&v.baseURL, "base-url", "", "OpenAI-compatible endpoint of the models, e.g. https://api.openai.com/v1 (API key from "+strings.Join(judge.GenerateKeyEnvVars, " or ")+")")
	f.String(&v.policy, "policy-model", "", "the policy: NAME or NAME@URL (URL overrides --base-url)")
	fs.Var(&v.refs, "reference-models", "the references, in this order: NAME[@URL],NAME[@URL],...")
	ownFlags["reference-models"] = true
	fs.Var(&v.prices, "price", "MODEL=IN/OUT: US dollars per million prompt/completion tokens (repeat or comma-separate)")
	ownFlags["price"] = true
	f.String(&o.Cache, "cache", "", "completion cache: a local folder or gs:// prefix (a rerun asks nothing it has)")
	f.Bool(&o.KeepDatasetAnswer, "keep-dataset-answer", false, "longwriter: keep the row's assistant turn as a last reference (model \"dataset\")")
	f.Int(&o.MaxTokens, "max-tokens", 0, "reply token cap (0 = server default; needed with --max-cost-usd)")
	f.Float(&o.Temperature, "temperature", 0.7, "sampling temperature")
	f.Int(&o.Concurrency, "concurrency", 8, "HTTP calls in flight per model and worker")
	f.Float(&o.RPM, "rpm", 0, "requests per minute per model and worker (0 = none)")
	f.Int(&o.MaxAttempts, "max-attempts", 4, "attempts per completion, first included (429 and 5xx retried, honouring Retry-After)")
	f.Duration(&o.Timeout, "timeout", 0, "timeout of one attempt (0 = 120s)")
	f.Bool(&o.StripThinking, "strip-thinking", true, "keep only the text after the last </think>")
	f.Float(&o.MaxCostUSD, "max-cost-usd", 0, "stop cleanly (exit 3, rows so far published) before spending more than this; needs --price for every model and --max-tokens (0 = no limit)")
	f.Shards(&o.Shards)
	f.Required("input", "output", "policy-model", "reference-models", "cache")
	return func(ctx context.Context) error {
		o.Input, o.Output, o.Cache = absPath(o.Input), absPath(o.Output), absPath(o.Cache)
		if err := v.resolve(&o); err != nil {
			return fmt.Errorf("writing generate: %w", err)
		}
		if err := o.Validate(); err != nil {
			return fmt.Errorf("writing generate: %w", err)
		}
		m, err := runJob(ctx, "writing generate", o.Input, o.Output, o.Describe(), func(s beam.Scope, job transforms.Job) error {
			return writing.Generate(s, job, o)
		}, nil)
		return generateVerdict(m, o, err)
	}
}

// resolve fills the models and their prices from the flags.
func (v *generateFlagValues) resolve(o *writing.GenerateOptions) error {
	prices := map[string]judge.Prices{}
	for _, p := range v.prices {
		name, pr, err := writing.ParsePrice(p)
		if err != nil {
			return err
		}
		prices[name] = pr
	}
	var err error
	if o.Policy, err = writing.ParseModel(v.policy, v.baseURL); err != nil {
		return fmt.Errorf("--policy-model: %w", err)
	}
	o.Policy.Prices = prices[o.Policy.Name]
	for _, r := range v.refs {
		m, err := writing.ParseModel(r, v.baseURL)
		if err != nil {
			return fmt.Errorf("--reference-models: %w", err)
		}
		m.Prices = prices[m.Name]
		o.References = append(o.References, m)
	}
	for name := range prices {
		if !slicesHasModel(o.Models(), name) {
			return fmt.Errorf("--price %s: no such model", name)
		}
	}
	return nil
}

func slicesHasModel(ms []writing.GenerateModel, name string) bool {
	for _, m := range ms {
		if m.Name == name {
			return true
		}
	}
	return false
}

// generateVerdict prints the per-model summary of a finished run and turns a budget stop
// into exit 3 (the rows generated so far are published).
func generateVerdict(m layout.Manifest, o writing.GenerateOptions, jobErr error) error {
	if by, err := writing.GenerationUsageOf(m.Extra); err == nil && len(by) > 0 {
		fmt.Fprint(os.Stderr, writing.GenerationSummary(by))
		for name, st := range by {
			if st.AuthFailures > 0 {
				return launch.WithCode(launch.ExitFailed, fmt.Errorf("model %s refused the API key (HTTP 401/403): check %s", name, strings.Join(judge.GenerateKeyEnvVars, " or ")))
			}
		}
	}
	if jobErr != nil && launch.ExitCode(jobErr) != launch.ExitUnfulfilled {
		return jobErr
	}
	// A budget stop explains an unfulfilled run (even one that wrote nothing) better than
	// the generic verdict.
	if n := m.Counts[writing.CountBudget]; n > 0 {
		return launch.WithCode(launch.ExitUnfulfilled, fmt.Errorf("writing generate stopped at --max-cost-usd %g: %d prompts not generated, %d rows written (published under %s); rerun with a larger budget to ask only the rest",
			o.MaxCostUSD, n, m.Counts[layout.CountWritten], o.Output))
	}
	return jobErr
}
