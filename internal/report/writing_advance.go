package report

import (
	"fmt"
	"slices"
	"strconv"
)

// WritingAdvanceData is what writing advance knows once the labels are applied.
type WritingAdvanceData struct {
	Run
	// Moves, SamplesMoved and Mastered: pointer moves made, distinct samples moved, and
	// samples whose ladder is mastered in the new state.
	Moves, SamplesMoved, Mastered, Samples int
	// LevelsBefore and LevelsAfter count the samples at each ladder level.
	LevelsBefore, LevelsAfter map[int]int
}

// WritingAdvance builds the report of a writing advance: the moves, and the samples per
// ladder level before and after, as a table and a grouped bar chart.
func WritingAdvance(d WritingAdvanceData) *Report {
	rep := d.Run.start("writing advance")
	summary := KeyValues("Moves",
		KV{"pointer moves", formatCount(int64(d.Moves))},
		KV{"samples moved", formatCount(int64(d.SamplesMoved))},
		KV{"samples in the schedule", formatCount(int64(d.Samples))},
		KV{"mastered", formatCount(int64(d.Mastered))},
	)
	var lv []int
	for l := range d.LevelsBefore {
		lv = append(lv, l)
	}
	for l := range d.LevelsAfter {
		if _, ok := d.LevelsBefore[l]; !ok {
			lv = append(lv, l)
		}
	}
	slices.Sort(lv)
	t := &Table{Caption: "Samples per ladder level (the pointer: 0 = weakest reference)", Header: []string{"level", "before", "after", "change"}}
	chart := &BarChart{ID: "levels", Title: "Samples per ladder level", ValueLabel: "samples",
		Series: []BarSeries{{Name: "before"}, {Name: "after"}}}
	for _, l := range lv {
		b, a := d.LevelsBefore[l], d.LevelsAfter[l]
		t.Rows = append(t.Rows, []string{strconv.Itoa(l), formatCount(int64(b)), formatCount(int64(a)), fmt.Sprintf("%+d", a-b)})
		chart.Categories = append(chart.Categories, "level "+strconv.Itoa(l))
		chart.Series[0].Values = append(chart.Series[0].Values, float64(b))
		chart.Series[1].Values = append(chart.Series[1].Values, float64(a))
	}
	rep.Sections = append(rep.Sections, Section{Title: "Levels before and after", Blocks: []Block{summary, t, chart}})
	return d.Run.finish(rep)
}
