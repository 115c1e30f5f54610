package writing

import (
	"sort"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register.Function3x0[transforms.Line, func(string, transforms.Line), func(layout.DeadLetter)](keySample)
	register.Emitter2[string, transforms.Line]()
	register.Function4x0[string, func(*transforms.Line) bool, func(transforms.Line), func(layout.DeadLetter)](firstOfID)
	register.Iter1[transforms.Line]()
	register.Emitter1[transforms.Line]()
	register.Emitter1[layout.DeadLetter]()
}

// ReasonDuplicate is the dead-letter reason of the later copies of an id.
const ReasonDuplicate = "duplicate id"

// CheckAndDedupe validates sample rows and keeps one row per id: the first by input file,
// then line number. It returns the kept lines and the dead letters of the rows that are not
// valid samples or repeat an id (stage "dedupe", reason "duplicate id").
func CheckAndDedupe(s beam.Scope, lines beam.PCollection) (kept, dead beam.PCollection) {
	s = s.Scope("CheckAndDedupe")
	keyed, bad := beam.ParDo2(s, keySample, lines)
	kept, dups := beam.ParDo2(s, firstOfID, beam.GroupByKey(s, keyed))
	return kept, beam.Flatten(s, bad, dups)
}

// keySample keys a valid sample row by id; other rows become dead letters.
func keySample(l transforms.Line, emit func(string, transforms.Line), dead func(layout.DeadLetter)) {
	s, err := ParseSample([]byte(l.Text))
	if err != nil {
		dead(layout.DeadLetter{File: l.File, Line: l.Number, ID: ParseID([]byte(l.Text)), Stage: "parse", Reason: err.Error(), Record: l.Text})
		return
	}
	emit(s.ID, l)
}

// firstOfID keeps the first row of an id and dead-letters the others.
func firstOfID(id string, rows func(*transforms.Line) bool, emit func(transforms.Line), dead func(layout.DeadLetter)) {
	var all []transforms.Line
	var l transforms.Line
	for rows(&l) {
		all = append(all, l)
	}
	sort.Slice(all, func(i, j int) bool { return lineBefore(all[i], all[j]) })
	emit(all[0])
	for _, d := range all[1:] {
		dead(layout.DeadLetter{File: d.File, Line: d.Number, ID: id, Stage: "dedupe", Reason: ReasonDuplicate, Record: d.Text})
	}
}

// lineBefore orders lines by file, then line number.
func lineBefore(a, b transforms.Line) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	return a.Number < b.Number
}
