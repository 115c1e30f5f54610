package transforms

import (
	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"
)

func init() {
	register.DoFn2x0[beam.T, func(string, int64)](&tallyFn{})
	register.Emitter2[string, int64]()
}

// Tally counts the elements of col under name, as a PCollection of KV<string, int64>
// for WriteManifest. The counts are data, not metrics, so they are exact on every runner.
// Each bundle emits one partial count when it finishes (none when it saw no element),
// so the runner moves a handful of counts, not one element per row.
func Tally(s beam.Scope, name string, col beam.PCollection) beam.PCollection {
	return beam.ParDo(s.Scope("Tally."+name), &tallyFn{Name: name}, col)
}

// tallyFn counts a bundle's elements and emits the count from FinishBundle.
type tallyFn struct {
	Name string
	n    int64
}

func (fn *tallyFn) StartBundle(func(string, int64)) { fn.n = 0 }

// ProcessElement counts; its emitter is unused (counts leave in FinishBundle) but declares
// the output type.
func (fn *tallyFn) ProcessElement(_ beam.T, _ func(string, int64)) { fn.n++ }

func (fn *tallyFn) FinishBundle(emit func(string, int64)) {
	if fn.n > 0 {
		emit(fn.Name, fn.n)
	}
	fn.n = 0
}

// SumTallies adds up tallies by name: a combine, so no runner holds all the ones at once.
func SumTallies(s beam.Scope, tallies ...beam.PCollection) beam.PCollection {
	s = s.Scope("SumTallies")
	return stats.SumPerKey(s, beam.Flatten(s, tallies...))
}
