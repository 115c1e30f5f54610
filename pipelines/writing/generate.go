package writing

import (
	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/transforms"
)

// CountBudget is the manifest count of the prompts writing generate left out because the
// spending budget stopped it (they are also counted as filtered).
const CountBudget = layout.CountFiltered + ".budget"

// Generate builds the writing generate job: every prompt of o.Input (o.Format) is sent to
// the policy and to every reference model; PREFIX/data/ holds one row per prompt in the
// shape writing select reads (GeneratedRow), PREFIX/deadletter/ the rows that are not
// prompts and the prompts for which a model kept failing (naming the model and why), and
// the manifest's Extra "generate" the calls, cache hits, tokens and cost of each model.
// Prompts left out by the budget are counted as filtered and CountBudget. Every answer
// is cached in o.Cache as it comes, so a rerun (or a run resumed after a kill) asks only
// what it has not got.
func Generate(s beam.Scope, job transforms.Job, o GenerateOptions) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if o.RunID == "" {
		o.RunID = newRunID()
	}
	s = s.Scope("WritingGenerate")
	lines, readDead := transforms.ReadInput(s, job, o.Input)
	rows, failed, unasked, usage := beam.ParDo4(s, &generateFn{Opts: o}, lines)
	transforms.WriteManifest(s, job, transforms.Accounts{
		Tallies: []beam.PCollection{
			transforms.Tally(s, layout.CountRead, lines), transforms.Tally(s, layout.CountRead, readDead),
			transforms.Tally(s, layout.CountFiltered, unasked), transforms.Tally(s, CountBudget, unasked),
		},
		Shards: []beam.PCollection{
			transforms.WriteJSONL(s, transforms.Sink{Prefix: o.Output, Output: layout.DataOutput, Name: "prompts", Shards: o.Shards}, rows),
			transforms.WriteDeadLetters(s, o.Output, 1, readDead, failed),
		},
		Extras: []beam.PCollection{GenerationUsage(s, usage)},
	})
	return nil
}
