package writing

import (
	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register.DoFn3x0[transforms.Line, func(transforms.Line), func(string)](&retireFn{})
	register.Emitter1[transforms.Line]()
	register.Emitter1[string]()
}

// RetireMastered leaves out the sample rows whose id is in mastered (Ladders.Mastered,
// sorted ids), before they are scored: a mastered prompt costs no judge call and top-k
// fills with the others. It returns the rows kept and the tallies of the ones left out,
// counted under "filtered" and CountMastered. With no mastered id every row is kept
// without being parsed.
func RetireMastered(s beam.Scope, rows beam.PCollection, mastered []string) (kept, tallies beam.PCollection) {
	s = s.Scope("RetireMastered")
	kept, retired := beam.ParDo2(s, &retireFn{Mastered: mastered}, rows)
	return kept, beam.Flatten(s, transforms.Tally(s, layout.CountFiltered, retired), transforms.Tally(s, CountMastered, retired))
}

// retireFn emits a row on kept unless its sample id is one of Mastered; it emits the id
// of a row it leaves out on retired.
type retireFn struct {
	Mastered []string

	set map[string]bool
}

func (fn *retireFn) Setup() {
	fn.set = make(map[string]bool, len(fn.Mastered))
	for _, id := range fn.Mastered {
		fn.set[id] = true
	}
}

func (fn *retireFn) ProcessElement(l transforms.Line, kept func(transforms.Line), retired func(string)) {
	if len(fn.set) > 0 {
		if id := ParseID([]byte(l.Text)); fn.set[id] {
			retired(id)
			return
		}
	}
	kept(l)
}
