package writing

import (
	"context"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register.Function3x0[transforms.Line, func(string, []byte), func(layout.DeadLetter)](keySample)
	register.Emitter2[string, []byte]()
	register.DoFn5x1[context.Context, transforms.Part, func(transforms.Line), func(layout.DeadLetter), func(int), error](&firstOfIDFn{})
	register.Emitter1[transforms.Line]()
	register.Emitter1[layout.DeadLetter]()
	register.Emitter1[int]()
}

// ReasonDuplicate is the dead-letter reason of the later copies of an id.
const ReasonDuplicate = "duplicate id"

// CheckAndDedupe validates sample rows and keeps one row per id: the first by input file,
// then line number. It returns the kept lines and the dead letters of the rows that are not
// valid samples or repeat an id (stage "dedupe", reason "duplicate id").
//
// The rows are sorted by id with bounded memory (transforms.SortEntries, run files under
// PREFIX/data/, prefix being the job's output prefix): a row's sort value is its file and
// zero-padded line number (transforms.LineSortValue), so the first occurrence of an id
// comes first, and no step holds more than one row per merged run.
func CheckAndDedupe(s beam.Scope, prefix string, lines beam.PCollection) (kept, dead beam.PCollection) {
	s = s.Scope("CheckAndDedupe")
	keyed, bad := beam.ParDo2(s, keySample, lines)
	cfg := transforms.Sort{Dir: blob.Join(prefix, layout.DataOutput), Name: "dedupe", Buckets: transforms.AutoShardBuckets}
	parts, runs := transforms.SortEntries(s, cfg, keyed)
	kept, dups, merged := beam.ParDo3(s, &firstOfIDFn{}, parts)
	transforms.RemoveRuns(s, runs, merged)
	return kept, beam.Flatten(s, bad, dups)
}

// keySample keys a valid sample row by id, with its line as the sort value; other rows
// become dead letters.
func keySample(l transforms.Line, emit func(string, []byte), dead func(layout.DeadLetter)) {
	s, err := ParseSample([]byte(l.Text))
	if err != nil {
		dead(layout.DeadLetter{File: l.File, Line: l.Number, ID: ParseID([]byte(l.Text)), Stage: "parse", Reason: err.Error(), Record: l.Text})
		return
	}
	emit(s.ID, transforms.LineSortValue(l))
}

// firstOfIDFn merges one part of the rows sorted by id, then file and line: it keeps the
// first row of every id and dead-letters the others, then emits the part's index on
// merged.
type firstOfIDFn struct{}

func (*firstOfIDFn) ProcessElement(ctx context.Context, part transforms.Part, emit func(transforms.Line), dead func(layout.DeadLetter), merged func(int)) error {
	var prev string
	first := true
	err := transforms.MergePart(ctx, part, func(id string, value []byte) error {
		l, err := transforms.DecodeLineSortValue(value)
		if err != nil {
			return err
		}
		if !first && id == prev {
			dead(layout.DeadLetter{File: l.File, Line: l.Number, ID: id, Stage: "dedupe", Reason: ReasonDuplicate, Record: l.Text})
		} else {
			emit(l)
		}
		prev, first = id, false
		return nil
	})
	if err != nil {
		return err
	}
	merged(part.Index)
	return nil
}
