package writing

import (
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
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
	OutputFormat string  // --output-format: a comma list of jsonl, parquet, writingrl (export.ParseFormats)
	Ladders      Ladders // --schedule, --retire-mastered, --reweight-by-level (selectladders.go)
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
	if _, err := export.ParseFormats(o.OutputFormat, export.Writing); err != nil {
		return err
	}
	if err := o.Ladders.Validate(o.HasMinMargin); err != nil {
		return err
	}
	return o.Judge.Validate()
}

// Select builds the writing select job: PREFIX/data/ the selected samples (references
// ordered weakest to strongest, scores added), PREFIX/scores/ one score row per judged
// sample, PREFIX/deadletter/ and the manifest, whose Extra holds the judge usage ("judge")
// and the selection ("selection").
//
// Under --min-margin the decision is per sample and the data rows are written in one pass.
// Under --top-k the selection is made on small candidates (rank, scores, file and line, no
// row text) and a second pass re-reads the input for the full rows of the k selected, so
// the job holds O(k) rows, not O(input); see topK.
func Select(s beam.Scope, job transforms.Job, o SelectOptions) error {
	if err := o.Validate(); err != nil {
		return err
	}
	formats, _ := export.ParseFormats(o.OutputFormat, export.Writing) // checked by Validate
	s = s.Scope("WritingSelect")
	lines, readDead := transforms.ReadInput(s, job, o.Input)
	kept, bad := CheckAndDedupe(s, o.Output, lines)
	kept, retired := RetireMastered(s, kept, o.Ladders.Mastered())
	scored, failed, usage := beam.ParDo3(s, &scoreFn{Judge: o.Judge}, kept)
	var sel selection
	if o.HasMinMargin {
		sel = byThreshold(s, scored, o)
	} else {
		sel = topK(s, scored, o, job)
	}
	transforms.WriteManifest(s, job, transforms.Accounts{
		Tallies: []beam.PCollection{transforms.Tally(s, layout.CountRead, lines), transforms.Tally(s, layout.CountRead, readDead), transforms.Tally(s, layout.CountFiltered, sel.unselected), retired},
		Shards: append(
			transforms.WriteData(s, transforms.Sink{Prefix: o.Output, Output: layout.DataOutput, Name: "samples", Shards: o.Shards},
				formats, export.Options{Kind: export.Writing}, sel.data),
			transforms.WriteJSONL(s, transforms.Sink{Prefix: o.Output, Output: ScoresOutput, Name: "scores", Shards: o.Shards}, sel.scores),
			transforms.WriteDeadLetters(s, o.Output, 1, readDead, bad, failed, sel.dead),
		),
		Extras: []beam.PCollection{JudgeUsage(s, usage), sel.info},
	})
	return nil
}

// selection is what a selection step hands the writers: data rows, score rows, the ids
// not selected (tallied as filtered), dead letters of selected rows that cannot be
// rendered, and the manifest's "selection" extra.
type selection struct {
	data, scores, unselected, dead, info beam.PCollection
}
