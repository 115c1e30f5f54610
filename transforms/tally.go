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
func Tally(s beam.Scope, name string, col beam.PCollection) beam.PCollection {
	return beam.ParDo(s.Scope("Tally."+name), &tallyFn{Name: name}, col)
}

type tallyFn struct{ Name string }

func (fn *tallyFn) ProcessElement(_ beam.T, emit func(string, int64)) { emit(fn.Name, 1) }

// SumTallies adds up tallies by name: a combine, so no runner holds all the ones at once.
func SumTallies(s beam.Scope, tallies ...beam.PCollection) beam.PCollection {
	s = s.Scope("SumTallies")
	return stats.SumPerKey(s, beam.Flatten(s, tallies...))
}
