package writing

import (
	"encoding/json"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/layout"
)

func init() {
	register.DoFn2x0[Scored, func(Rank)](&rankFn{})
	register.Emitter1[Rank]()
	register.Function2x1[Rank, Rank, bool](RankLess)
	register.DoFn6x1[Scored, func(*[]Rank) bool, func(string), func(string), func(string), func(layout.DeadLetter), error](&selectFn{})
	register.Iter1[[]Rank]()
	register.Emitter1[string]()
	register.DoFn2x1[[]Rank, func(string, string), error](&selectionInfoFn{})
	register.Emitter2[string, string]()
}

// rankFn ranks a scored sample under the strategy.
type rankFn struct {
	Strategy Strategy
	Seed     int64
}

func (fn *rankFn) ProcessElement(sc Scored, emit func(Rank)) {
	emit(RankOf(fn.Strategy, sc.ID, sc.Scores(), fn.Seed))
}

// selectFn writes every scored sample's score row, and its data row if selected: by the
// margin threshold, or by ranking at or above the cutoff of the top list (a side input of
// at most one list).
type selectFn struct {
	Threshold bool
	MinMargin float64
	Strategy  Strategy
	Seed      int64

	cutoff *Cutoff
}

func (fn *selectFn) ProcessElement(sc Scored, best func(*[]Rank) bool, data, scores, unselected func(string), dead func(layout.DeadLetter)) error {
	if fn.cutoff == nil {
		var top []Rank
		var list []Rank
		for best(&list) {
			top = append(top, list...)
		}
		c := CutoffOf(top)
		fn.cutoff = &c
	}
	scs := sc.Scores()
	keep := Selected(RankOf(fn.Strategy, sc.ID, scs, fn.Seed), *fn.cutoff)
	if fn.Threshold {
		keep = scs.Margin() >= fn.MinMargin
	}
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
		dead(layout.DeadLetter{File: sc.File, Line: sc.Line, ID: sc.ID, Stage: "select", Reason: err.Error(), Record: sc.Record})
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

func (fn *selectionInfoFn) ProcessElement(top []Rank, emit func(string, string)) error {
	sel := Selection{Strategy: fn.Strategy, TopK: fn.TopK}
	if fn.Threshold {
		m := fn.MinMargin
		sel.MinMargin, sel.TopK = &m, 0
	} else if c := CutoffOf(top); c.Valid {
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
