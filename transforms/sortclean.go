package transforms

import (
	"context"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/blob"
)

func init() {
	register.DoFn4x0[context.Context, []byte, func(*Run) bool, func(*int) bool](&removeRunsFn{})
	register.Function1x1[beam.T, int](doneMark)
}

// RemoveRuns removes the run files of a sort (runs, a PCollection of Run) once every
// collection of done is complete: what the sort's consumers emit once a part is merged
// (the shards they wrote, or one mark per part), of any element type. Both are side
// inputs of one step over an Impulse, which a runner starts only when they are
// complete, so no part is still being merged. When the job dies before this step, the
// run files stay under their temporary names until the next run that publishes into
// the same folder removes them (RemoveUnlisted); so does a run file this step fails to
// remove (it logs a warning and does not fail the job, whose outputs are written by
// then).
func RemoveRuns(s beam.Scope, runs beam.PCollection, done ...beam.PCollection) {
	s = s.Scope("RemoveRuns")
	marks := make([]beam.PCollection, len(done))
	for i, d := range done {
		marks[i] = beam.ParDo(s, doneMark, d)
	}
	beam.ParDo0(s, &removeRunsFn{}, beam.Impulse(s),
		beam.SideInput{Input: runs},
		beam.SideInput{Input: beam.Flatten(s, marks...)})
}

// doneMark turns an element of a done collection into a mark of one type, so that
// collections of any types flatten into one side input.
func doneMark(beam.T) int { return 1 }

type removeRunsFn struct{}

func (*removeRunsFn) ProcessElement(ctx context.Context, _ []byte, runs func(*Run) bool, done func(*int) bool) {
	var n int
	for done(&n) { // complete, as side inputs are; nothing to read from it
	}
	var r Run
	for runs(&r) {
		if err := blob.Remove(ctx, r.Path); err != nil {
			log.Warnf(ctx, "sort run left for the next publish to remove: %v", err)
		}
	}
}
