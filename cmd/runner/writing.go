package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/pipelines/writing"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register(command{path: "writing select", summary: "score writing samples with a judge and keep those with the largest margin", setup: writingSelect})
	register(command{path: "writing label", summary: "judge rollouts pairwise against each sample's scheduled reference", setup: writingLabel})
	register(command{path: "writing advance", summary: "apply labelled outcomes to the reference schedule", setup: writingAdvance})
}

func writingSelect(fs *flag.FlagSet) func(context.Context) error {
	var o writing.SelectOptions
	f := flags{fs}
	jf := judgeFlags(f)
	f.String(&o.Input, "input", "", "samples JSONL {id, prompt, criteria, references, policy_response}: a path, glob or gs:// URL")
	f.MaxLineBytes()
	f.String(&o.Output, "output", "", "output prefix (local folder or gs://bucket/path)")
	f.String(&o.Strategy, "strategy", "margin", "margin, difficulty, quality or random")
	f.Int(&o.TopK, "top-k", 0, "keep the k best-ranked samples (ties by id)")
	minMargin := f.fs.String("min-margin", "", "keep every sample whose margin is at least this (margin strategy)")
	ownFlags["min-margin"] = true
	var seed int
	f.Int(&seed, "seed", 0, "seed of the random strategy")
	f.String(&o.Ladders.Schedule, "schedule", "", "reference schedule state (local file, gs:// or postgres:// URL), read once for --retire-mastered and --reweight-by-level")
	f.Bool(&o.Ladders.RetireMastered, "retire-mastered", false, "leave out the samples whose ladder the schedule marks mastered, before scoring (counted filtered.mastered)")
	f.Bool(&o.Ladders.ReweightByLevel, "reweight-by-level", false, "write sampling_weight on each selected row, favouring prompts low on their ladders (mean 1; --top-k only)")
	f.String(&o.OutputFormat, "output-format", "both", "comma list of jsonl (PREFIX/data/, always), parquet (verl, PREFIX/parquet/) and writingrl (Writing-RL's verl fork, PREFIX/writingrl/); both = jsonl,parquet")
	f.Shards(&o.Shards)
	f.Required("input", "output")
	return func(ctx context.Context) error {
		o.Input, o.Output, o.Seed, o.Ladders.Schedule = absPath(o.Input), absPath(o.Output), int64(seed), absPath(o.Ladders.Schedule)
		if *minMargin != "" {
			if _, err := fmt.Sscan(*minMargin, &o.MinMargin); err != nil {
				return fmt.Errorf("--min-margin %q: not a number", *minMargin)
			}
			o.HasMinMargin = true
		}
		var err error
		if o.Judge, err = jf.config(ctx); err != nil {
			return err
		}
		if err := judge.Preflight(ctx, o.Judge); err != nil {
			return err
		}
		if err := o.Validate(); err != nil {
			return fmt.Errorf("writing select: %w", err)
		}
		if err := o.Ladders.Load(ctx); err != nil {
			return fmt.Errorf("writing select: %w", err)
		}
		config := map[string]any{"input": o.Input, "strategy": o.Strategy, "top_k": o.TopK, "seed": o.Seed,
			"shards": o.Shards, "output_format": o.OutputFormat, "judge": o.Judge.Describe()}
		if o.HasMinMargin {
			config["min_margin"] = o.MinMargin
		}
		if o.Ladders.Schedule != "" {
			config["ladders"] = o.Ladders.Describe()
		}
		m, err := runJob(ctx, "writing select", o.Input, o.Output, config, func(s beam.Scope, job transforms.Job) error {
			return writing.Select(s, job, o)
		}, writing.SelectReport)
		return printUsage(m, err)
	}
}

func writingLabel(fs *flag.FlagSet) func(context.Context) error {
	var o writing.LabelOptions
	f := flags{fs}
	jf := judgeFlags(f)
	f.String(&o.Input, "input", "", "rollouts JSONL {id, sample_id, response, step, split}: a path, glob or gs:// URL")
	f.MaxLineBytes()
	f.String(&o.Samples, "samples", "", "the selected samples: PREFIX/data of writing select (folder, glob or gs://)")
	f.String(&o.Schedule, "schedule", "", "schedule state (local file, gs:// or postgres:// URL); a missing file means every pointer at 0")
	f.String(&o.Output, "output", "", "output prefix (local folder or gs://bucket/path)")
	f.String(&o.Order, "order", "policy-second", "policy-second (as released), policy-first or both (swap and combine)")
	f.String(&o.Rewards, "rewards", "paper", "paper (1/0.5/0) or released (1.1/0.55/0.1)")
	var strip bool
	stripThinkingFlag(f, &strip)
	f.Shards(&o.Shards)
	f.Required("input", "samples", "schedule", "output")
	return func(ctx context.Context) error {
		o.Input, o.Output, o.Samples, o.Schedule = absPath(o.Input), absPath(o.Output), samplesGlob(absPath(o.Samples)), absPath(o.Schedule)
		var err error
		if o.Judge, err = jf.config(ctx); err != nil {
			return err
		}
		if err := judge.Preflight(ctx, o.Judge); err != nil {
			return err
		}
		o.Judge.PairwiseVerdict, o.Judge.KeepThinking = true, !strip
		if err := o.Prepare(ctx); err != nil {
			return fmt.Errorf("writing label: %w", err)
		}
		config := map[string]any{"input": o.Input, "samples": o.Samples, "schedule": o.Schedule, "order": o.Order,
			"rewards": o.Rewards, "shards": o.Shards, "judge": o.Judge.Describe(), "judge_strip_thinking": strip}
		m, err := runJob(ctx, "writing label", o.Input, o.Output, config, func(s beam.Scope, job transforms.Job) error {
			return writing.Label(s, job, o)
		}, writing.LabelReport)
		return printUsage(m, err)
	}
}

func writingAdvance(fs *flag.FlagSet) func(context.Context) error {
	var o writing.AdvanceOptions
	f := flags{fs}
	f.String(&o.Schedule, "schedule", "", "schedule state to start from (local file, gs:// or postgres:// URL); a missing file means an empty schedule, an empty, null, unparsable or out-of-range one is refused (exit 1) and left untouched")
	f.String(&o.Labels, "input", "", "labelled rows: PREFIX/data of writing label (folder, glob or gs://); Beam owns --labels")
	f.String(&o.Output, "output", "", "where to write the new state (local or gs://), under its lock, keeping the replaced state as OUTPUT.prev; may equal --schedule (label ids already applied there are skipped)")
	f.String(&o.Rule, "rule", "released", "released (one strict win promotes) or k-of-n")
	f.Int(&o.Wins, "wins", 2, "k-of-n: wins needed")
	f.Int(&o.Window, "window", 3, "k-of-n: outcomes looked at")
	f.Int(&o.DemoteLosses, "demote-losses", 0, "demote after this many losses in a row (0 = never)")
	f.Required("schedule", "input", "output")
	var reportPath string
	f.String(&reportPath, "report", "", "where to write the HTML report of the moves (default: OUTPUT.report.html for a file or gs:// output, none for a database)")
	return func(ctx context.Context) (err error) {
		start := time.Now()
		var res writing.AdvanceResult
		defer func() {
			writeSummary(os.Stdout, "writing advance", o.Output, layout.Manifest{Counts: res.Counts()}, err, time.Since(start))
		}()
		o.Schedule, o.Output, o.Labels = absPath(o.Schedule), absPath(o.Output), samplesGlob(absPath(o.Labels))
		if res, err = writing.Advance(ctx, o); err != nil {
			return fmt.Errorf("writing advance: %w", err)
		}
		fmt.Fprintln(os.Stderr, res)
		return writeAdvanceReport(ctx, advanceReportPath(reportPath, o.Output), o, res, time.Since(start))
	}
}

// samplesGlob turns a folder such as PREFIX/data into the glob of its JSONL shards; a glob
// or a file is kept as it is (blob.Pattern, the rule every input follows). It runs while
// flags are read, before the job; only a gs:// path makes it ask GCS whether it names an
// object.
func samplesGlob(p string) string {
	return blob.Pattern(context.Background(), p)
}

// printUsage prints the judge usage recorded in the finished job's manifest. A judge
// that refused the API key (401/403) during the job fails it, whatever else it wrote.
func printUsage(m layout.Manifest, jobErr error) error {
	if st, err := writing.UsageOf(m.Extra); err == nil && st.AuthFailures > 0 {
		return fmt.Errorf("the judge refused the API key during the job (HTTP 401/403; %d judge requests failed for it, the rest were not sent): check %s and --judge-base-url",
			st.AuthFailures, strings.Join(judge.APIKeyEnvVars, " or "))
	}
	if jobErr != nil {
		return jobErr
	}
	st, err := writing.UsageOf(m.Extra)
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, writing.UsageLine(st))
	return nil
}

// stripThinkingFlag registers --judge-strip-thinking (writing label and serve) into p.
func stripThinkingFlag(f flags, p *bool) {
	f.Bool(p, "judge-strip-thinking", true, "the judge sees only the answer after the last </think> (an unclosed <think> is an empty answer, noted answer_note); false sends whole completions")
}

// judgeFlagValues are the --judge-* flags every writing job shares.
type judgeFlagValues struct {
	kind, pointwise, pairwise string
	seed                      int
	c                         judge.Config
}

func judgeFlags(f flags) *judgeFlagValues {
	v := &judgeFlagValues{}
	f.String(&v.kind, "judge", "", "heuristic (offline, not a quality judge) or openai; default: openai when --judge-base-url is set, else heuristic")
	f.String(&v.c.BaseURL, "judge-base-url", "", "OpenAI-compatible endpoint, e.g. https://api.openai.com/v1 (API key from RLCURATE_JUDGE_API_KEY or OPENAI_API_KEY)")
	f.String(&v.c.Model, "judge-model", "", "judge model name")
	f.Int(&v.c.Concurrency, "judge-concurrency", 8, "judge HTTP calls in flight per worker")
	f.Float(&v.c.RequestsPerMinute, "judge-rpm", 0, "requests per minute budget per worker (0 = none)")
	f.Float(&v.c.TokensPerMinute, "judge-tpm", 0, "tokens per minute budget per worker (0 = none)")
	f.Duration(&v.c.Timeout, "judge-timeout", 0, "timeout of one judge attempt (0 = 120s)")
	f.Int(&v.c.MaxAttempts, "judge-max-attempts", 0, "attempts per judge request, first included (0 = 4)")
	f.Float(&v.c.Temperature, "judge-temperature", 0.1, "judge sampling temperature")
	f.Int(&v.c.MaxTokens, "judge-max-tokens", 0, "judge reply token cap (0 = server default)")
	f.Int(&v.seed, "judge-seed", -1, "judge sampling seed (-1 = not sent)")
	f.Float(&v.c.PriceInput, "judge-price-input", 0, "US dollars per million prompt tokens")
	f.Float(&v.c.PriceOutput, "judge-price-output", 0, "US dollars per million completion tokens")
	f.String(&v.c.Cache, "judge-cache", "", "reply cache: a local folder or gs:// prefix (reruns make no judge call)")
	f.String(&v.pointwise, "judge-pointwise-template", "", "pointwise prompt template file (default: embedded)")
	f.String(&v.pairwise, "judge-pairwise-template", "", "pairwise prompt template file (default: embedded)")
	f.String(&v.c.Structured, "judge-structured", "auto", "auto (ask for a JSON object via response_format, read the text protocol when the reply is not one), on (the object only) or off (text protocol, no response_format)")
	return v
}

// config resolves the judge flags: the kind's default, the seed, templates read as text and
// the cache path made absolute.
func (v *judgeFlagValues) config(ctx context.Context) (judge.Config, error) {
	c := v.c
	c.Kind = v.kind
	if c.Kind == "" {
		c.Kind = "heuristic"
		if c.BaseURL != "" {
			c.Kind = "openai"
		}
	}
	if v.seed >= 0 {
		c.Seed, c.HasSeed = v.seed, true
	}
	c.Cache = absPath(c.Cache)
	for _, t := range []struct {
		path string
		dst  *string
	}{{v.pointwise, &c.PointwiseTemplate}, {v.pairwise, &c.PairwiseTemplate}} {
		if t.path == "" {
			continue
		}
		b, err := blob.ReadFile(ctx, absPath(t.path))
		if err != nil {
			return c, fmt.Errorf("judge template: %w", err)
		}
		*t.dst = string(b)
	}
	return c, c.Validate()
}
