package transforms

import (
	"context"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
)

func init() {
	register.DoFn4x0[context.Context, []byte, func(*Run) bool, func(*layout.Shard) bool](&removeRunsFn{})
}

// RemoveRuns removes the run files of a sort (runs, a PCollection of Run) once every
// shard of done (PCollections of layout.Shard: what the sort's consumers wrote) is
// committed. Both are side inputs of one step over an Impulse, which a runner starts
// only when they are complete, so no part is still being merged. When the job dies
// before this step, the run files stay under their temporary names until the next run
// that publishes into the same folder removes them (RemoveUnlisted); so does a run file
// this step fails to remove (it logs a warning and does not fail the job, whose shards
// are committed by then).
func RemoveRuns(s beam.Scope, runs beam.PCollection, done ...beam.PCollection) {
	s = s.Scope("RemoveRuns")
	beam.ParDo0(s, &removeRunsFn{}, beam.Impulse(s),
		beam.SideInput{Input: runs},
		beam.SideInput{Input: beam.Flatten(s, done...)})
}

type removeRunsFn struct{}

func (*removeRunsFn) ProcessElement(ctx context.Context, _ []byte, runs func(*Run) bool, done func(*layout.Shard) bool) {
	var sh layout.Shard
	for done(&sh) { // complete, as side inputs are; nothing to read from it
	}
	var r Run
	for runs(&r) {
		if err := blob.Remove(ctx, r.Path); err != nil {
			log.Warnf(ctx, "sort run left for the next publish to remove: %v", err)
		}
	}
}
