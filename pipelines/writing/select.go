package writing

import (
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/top"
	"github.com/rlcurate/rlcurate/internal/export"
	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/transforms"
)

// ScoresOutput is the select job's output of one score row per judged sample.
const ScoresOutput = "scores"

// SelectOptions configures the writing select job.
type SelectOptions struct {
	Input    string // JSONL samples, local or gs://, glob allowed
	Output   string // output prefix
	Judge    judge.Config
	Strategy string // margin, difficulty, quality or random
	// TopK keeps the k best-ranked samples; MinMargin (when HasMinMargin) keeps every sample
	// whose margin is at least MinMargin. Exactly one of the two applies.
	TopK         int
	MinMargin    float64
	HasMinMargin bool
	Seed         int64 // for the random strategy
	Shards       int
	OutputFormat string // transforms.FormatJSONL or FormatBoth (JSONL + verl Parquet)
}

// Validate checks the options that do not need the input.
func (o SelectOptions) Validate() error {
	st, err := ParseStrategy(o.Strategy)
	if err != nil {
		return err
	}
	switch {
	case o.HasMinMargin && o.TopK > 0:
		return fmt.Errorf("give --top-k or --min-margin, not both")
	case o.HasMinMargin && st != ByMargin:
		return fmt.Errorf("--min-margin needs --strategy margin (got %s); use --top-k", st)
	case !o.HasMinMargin && o.TopK <= 0:
		return fmt.Errorf("give --top-k N (N > 0) or --min-margin X")
	}
	if err := transforms.CheckFormat(o.OutputFormat); err != nil {
		return err
	}
	return o.Judge.Validate()
}

// Select builds the writing select job: PREFIX/data/ the selected samples (references
// ordered weakest to strongest, scores added), PREFIX/scores/ one score row per judged
// sample, PREFIX/deadletter/ and the manifest, whose Extra holds the judge usage ("judge")
// and the selection ("selection").
func Select(s beam.Scope, job transforms.Job, o SelectOptions) error {
	if err := o.Validate(); err != nil {
		return err
	}
	s = s.Scope("WritingSelect")
	lines, readDead := transforms.ReadLines(s, o.Input, job.MaxLineBytes)
	kept, bad := CheckAndDedupe(s, lines)
	scored, failed, usage := beam.ParDo3(s, &scoreFn{Judge: o.Judge}, kept)
	best := topRanks(s, scored, o)
	data, scores, unselected, badRows := beam.ParDo4(s, &selectFn{Threshold: o.HasMinMargin, MinMargin: o.MinMargin, Strategy: Strategy(o.Strategy), Seed: o.Seed},
		scored, beam.SideInput{Input: best})
	info := beam.ParDo(s, &selectionInfoFn{Strategy: o.Strategy, TopK: o.TopK, MinMargin: o.MinMargin, Threshold: o.HasMinMargin}, best)
	transforms.WriteManifest(s, job, transforms.Accounts{
		Tallies: []beam.PCollection{transforms.Tally(s, layout.CountRead, lines), transforms.Tally(s, layout.CountRead, readDead), transforms.Tally(s, layout.CountFiltered, unselected)},
		Shards: append(
			transforms.WriteData(s, transforms.Sink{Prefix: o.Output, Output: layout.DataOutput, Name: "samples", Shards: o.Shards},
				o.OutputFormat, export.Options{Kind: export.Writing}, data),
			transforms.WriteJSONL(s, transforms.Sink{Prefix: o.Output, Output: ScoresOutput, Name: "scores", Shards: o.Shards}, scores),
			transforms.WriteDeadLetters(s, o.Output, 1, readDead, bad, failed, badRows),
		),
		Extras: []beam.PCollection{JudgeUsage(s, usage), info},
	})
	return nil
}

// topRanks is the list of the k best ranks, a combine over the ranks (no grouping of all
// samples); it has at most one element, none for an empty input, and is an empty list under
// a margin threshold.
func topRanks(s beam.Scope, scored beam.PCollection, o SelectOptions) beam.PCollection {
	s = s.Scope("TopK")
	if o.HasMinMargin {
		return beam.Create(s, []Rank{})
	}
	ranks := beam.ParDo(s, &rankFn{Strategy: Strategy(o.Strategy), Seed: o.Seed}, scored)
	return top.Largest(s, ranks, o.TopK, RankLess)
}
