package writing

import (
	"encoding/json"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/layout"
)

func init() {
	register.DoFn2x0[Scored, func(Candidate)](&candidateFn{})
	register.Emitter1[Candidate]()
	register.Function2x1[Candidate, Candidate, bool](CandidateLess)
	register.DoFn4x1[Candidate, func(*[]Candidate) bool, func(string), func(string), error](&scoreRowFn{})
	register.Iter1[[]Candidate]()
	register.Emitter1[string]()
	register.DoFn5x1[Scored, func(string), func(string), func(string), func(layout.DeadLetter), error](&thresholdFn{})
	register.DoFn2x1[[]Candidate, func(string, string), error](&selectionInfoFn{})
	register.Emitter2[string, string]()
}

// candidateFn reduces a scored sample to its candidate under the strategy (the row's text
// stays behind).
type candidateFn struct {
	Strategy Strategy
	Seed     int64
}

func (fn *candidateFn) ProcessElement(sc Scored, emit func(Candidate)) {
	emit(CandidateOf(fn.Strategy, sc, fn.Seed))
}

// scoreRowFn writes every candidate's score row, selected when it ranks at or above the
// cutoff of the top list (a side input of at most one list of k); the others are emitted
// as unselected.
type scoreRowFn struct {
	cutoff *Cutoff
}

func (fn *scoreRowFn) ProcessElement(c Candidate, best func(*[]Candidate) bool, scores, unselected func(string)) error {
	if fn.cutoff == nil {
		cut := CutoffOf(ranksOf(readTop(best)))
		fn.cutoff = &cut
	}
	keep := Selected(c.Rank, *fn.cutoff)
	row, err := EncodeScoreRow(c.Rank.ID, c.Scores(), keep)
	if err != nil {
		return err
	}
	scores(row)
	if !keep {
		unselected(c.Rank.ID)
	}
	return nil
}

// readTop returns the candidates of the top-list side input (none for an empty input).
func readTop(best func(*[]Candidate) bool) []Candidate {
	var all, list []Candidate
	for best(&list) {
		all = append(all, list...)
	}
	return all
}

// ranksOf returns the ranks of cs.
func ranksOf(cs []Candidate) []Rank {
	ranks := make([]Rank, len(cs))
	for i, c := range cs {
		ranks[i] = c.Rank
	}
	return ranks
}

// thresholdFn writes every scored sample's score row, and its data row when its margin is
// at least MinMargin (the others are emitted as unselected).
type thresholdFn struct {
	MinMargin float64
}

func (fn *thresholdFn) ProcessElement(sc Scored, data, scores, unselected func(string), dead func(layout.DeadLetter)) error {
	scs := sc.Scores()
	keep := scs.Margin() >= fn.MinMargin
	row, err := EncodeScoreRow(sc.ID, scs, keep)
	if err != nil {
		return err
	}
	scores(row)
	if !keep {
		unselected(sc.ID)
		return nil
	}
	out, err := SelectedRow([]byte(sc.Record), scs)
	if err != nil {
		dead(layout.DeadLetter{File: sc.File, Line: sc.Line, ID: sc.ID, Stage: StageSelect, Reason: err.Error(), Record: sc.Record})
		return nil
	}
	data(out)
	return nil
}

// Selection is the manifest's Extra "selection": how samples were chosen.
type Selection struct {
	Strategy string `json:"strategy"`
	TopK     int    `json:"top_k,omitempty"`
	// MinMargin is the margin threshold given, if any.
	MinMargin *float64 `json:"min_margin,omitempty"`
	// CutoffKey and CutoffID are the lowest-ranked selected sample's rank key (the margin
	// under the margin strategy) and id, under top-k.
	CutoffKey *float64 `json:"cutoff_key,omitempty"`
	CutoffID  string   `json:"cutoff_id,omitempty"`
}

// selectionInfoFn turns the top list into the manifest's "selection" extra.
type selectionInfoFn struct {
	Strategy  string
	TopK      int
	MinMargin float64
	Threshold bool
}

func (fn *selectionInfoFn) ProcessElement(top []Candidate, emit func(string, string)) error {
	sel := Selection{Strategy: fn.Strategy, TopK: fn.TopK}
	if fn.Threshold {
		m := fn.MinMargin
		sel.MinMargin, sel.TopK = &m, 0
	} else if c := CutoffOf(ranksOf(top)); c.Valid {
		k := c.Rank.Key
		sel.CutoffKey, sel.CutoffID = &k, c.Rank.ID
	}
	b, err := json.Marshal(sel)
	if err != nil {
		return fmt.Errorf("encode selection: %w", err)
	}
	emit("selection", string(b))
	return nil
}
