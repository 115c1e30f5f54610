package writing

import (
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register.DoFn4x1[transforms.Line, func(*[]Candidate) bool, func(string), func(layout.DeadLetter), error](&pickFn{})
}

// StageSelect is the stage of the dead letters of selected rows that cannot be rendered.
const StageSelect = "select"

// rowAt is where an input row is: its file and 1-based line number.
type rowAt struct {
	File string
	Line int64
}

// picksOf indexes the selected candidates by where their rows are.
func picksOf(top []Candidate) map[rowAt]Candidate {
	picks := make(map[rowAt]Candidate, len(top))
	for _, c := range top {
		picks[rowAt{File: c.File, Line: c.Line}] = c
	}
	return picks
}

// pick returns the data row of the input line l if picks selects it: ok is false for a
// line not selected. A selected line that no longer holds the id it held when it was
// scored is an error (the input changed between the two reads); a selected row that
// cannot be rendered is returned as a dead letter.
func pick(l transforms.Line, picks map[rowAt]Candidate) (row string, dead *layout.DeadLetter, ok bool, err error) {
	c, ok := picks[rowAt{File: l.File, Line: l.Number}]
	if !ok {
		return "", nil, false, nil
	}
	if id := ParseID([]byte(l.Text)); id != c.Rank.ID {
		return "", nil, true, fmt.Errorf("%s line %d: id %q on the second read, %q when scored: the input changed while the job ran", l.File, l.Number, id, c.Rank.ID)
	}
	row, err = SelectedRow([]byte(l.Text), c.Scores())
	if err != nil {
		return "", &layout.DeadLetter{File: l.File, Line: l.Number, ID: c.Rank.ID, Stage: StageSelect, Reason: err.Error(), Record: l.Text}, true, nil
	}
	return row, nil, true, nil
}

// pickFn is the select job's second pass: it emits the data row of every input line that
// the top list (a side input of at most one list of k candidates) selected. Under Reweight
// each row gets its sampling weight (LevelWeights over the top list, Levels from the
// schedule).
type pickFn struct {
	Reweight bool
	Levels   map[string]Level

	picks   map[rowAt]Candidate
	weights map[rowAt]float64
}

func (fn *pickFn) ProcessElement(l transforms.Line, best func(*[]Candidate) bool, data func(string), dead func(layout.DeadLetter)) error {
	if fn.picks == nil {
		top := readTop(best)
		fn.picks = picksOf(top)
		if fn.Reweight {
			fn.weights = LevelWeights(top, fn.Levels)
		}
	}
	row, d, ok, err := pick(l, fn.picks)
	switch {
	case err != nil:
		return err
	case !ok:
	case d != nil:
		dead(*d)
	case fn.Reweight:
		if row, err = weightedRow(row, fn.weights[rowAt{File: l.File, Line: l.Number}]); err != nil {
			return err
		}
		data(row)
	default:
		data(row)
	}
	return nil
}
