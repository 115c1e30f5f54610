package report

import (
	"fmt"
	"sort"
)

// LevelOutcome counts the pairwise judgements against references at one
// ladder level.
type LevelOutcome struct {
	// Level is the reference level (0 = weakest).
	Level int
	// Wins, Ties, Losses and Failures count the judgements; a failure is a
	// judgement without a verdict.
	Wins, Ties, Losses, Failures int64
}

// LevelAt is a sample's reference level from a training step on.
type LevelAt struct {
	Step  int64
	Level int
}

// SampleProgress is one sample's reference level history: its starting level
// and every promotion or demotion, in any order.
type SampleProgress struct {
	SampleID string
	History  []LevelAt
}

// WritingLabelData is what the writing label / advance job knows at the end
// of a run.
type WritingLabelData struct {
	Run
	// Outcomes are the judgements per reference level, in any order.
	Outcomes []LevelOutcome
	// Progress are the per-sample level histories.
	Progress []SampleProgress
	// LastStep is the latest training step seen; step lines extend to it.
	LastStep int64
	// MaxProgressSamples caps the samples drawn in the progress plot; 0
	// means 8. The samples with the longest histories are drawn (ties by
	// highest final level, then sample ID).
	MaxProgressSamples int
	// Samples counts the samples under scheduling; Mastered those that have
	// mastered their strongest reference.
	Samples, Mastered int64
	// Judge is the judge usage.
	Judge JudgeStats
}

// Outcome colours: win green, tie grey, loss red, failure purple.
const (
	colourWin     = "#009E73"
	colourTie     = "#999999"
	colourLoss    = "#D55E00"
	colourFailure = "#CC79A7"
)

// WritingLabel builds the report of a writing label / advance run:
// win/tie/loss/failure rates per reference level, per-sample reference level
// over training steps, final levels, mastered count and judge usage.
func WritingLabel(d WritingLabelData) *Report {
	rep := d.Run.start("writing label")
	outs := append([]LevelOutcome(nil), d.Outcomes...)
	sort.SliceStable(outs, func(i, j int) bool { return outs[i].Level < outs[j].Level })
	rates := &BarChart{ID: "outcome-rates", Title: "Judgement outcomes per reference level", Stacked: true, Percent: true, ValueLabel: "share of judgements"}
	counts := &Table{Caption: "Judgements per reference level", Header: []string{"level", "wins", "ties", "losses", "failures", "total"}}
	var win, tie, loss, fail []float64
	for _, o := range outs {
		total := o.Wins + o.Ties + o.Losses + o.Failures
		counts.Rows = append(counts.Rows, []string{fmt.Sprint(o.Level), formatCount(o.Wins), formatCount(o.Ties), formatCount(o.Losses), formatCount(o.Failures), formatCount(total)})
		if total == 0 {
			continue
		}
		t := float64(total)
		rates.Categories = append(rates.Categories, fmt.Sprintf("level %d (n=%s)", o.Level, formatCount(total)))
		win = append(win, float64(o.Wins)/t)
		tie = append(tie, float64(o.Ties)/t)
		loss = append(loss, float64(o.Losses)/t)
		fail = append(fail, float64(o.Failures)/t)
	}
	if len(rates.Categories) > 0 {
		rates.Series = []BarSeries{
			{Name: "win", Values: win, Color: colourWin},
			{Name: "tie", Values: tie, Color: colourTie},
			{Name: "loss", Values: loss, Color: colourLoss},
			{Name: "failure", Values: fail, Color: colourFailure},
		}
	}
	rep.Sections = append(rep.Sections, Section{Title: "Pairwise outcomes", Blocks: []Block{rates, counts}})

	mastered := "n/a"
	if d.Samples > 0 {
		mastered = fmt.Sprintf("%s of %s (%s)", formatCount(d.Mastered), formatCount(d.Samples), formatPercent(float64(d.Mastered)/float64(d.Samples)))
	}
	plot, shown := progressPlot(d)
	final := make([]float64, 0, len(d.Progress))
	for _, p := range d.Progress {
		if h := sortedHistory(p.History); len(h) > 0 {
			final = append(final, float64(h[len(h)-1].Level))
		}
	}
	rep.Sections = append(rep.Sections, Section{Title: "Reference scheduling", Blocks: []Block{
		KeyValues("Progress",
			KV{"samples scheduled", formatCount(d.Samples)},
			KV{"mastered", mastered},
			KV{"samples with history", formatCount(int64(len(d.Progress)))},
			KV{"last training step", formatCount(d.LastStep)},
		),
		plot,
		&Histogram{ID: "final-levels", Title: "Current reference level per sample", XLabel: "reference level", YLabel: "samples", Values: final, Integer: true},
		Text(fmt.Sprintf("The progress plot shows %d of %d samples: those with the most level changes.", shown, len(d.Progress))),
	}})
	rep.Sections = append(rep.Sections, Section{Title: "Judge", Blocks: d.Judge.blocks()})
	return d.Run.finish(rep)
}

// sortedHistory returns h sorted by step (stable).
func sortedHistory(h []LevelAt) []LevelAt {
	out := append([]LevelAt(nil), h...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Step < out[j].Step })
	return out
}

// progressPlot draws the chosen samples' levels over steps and returns how
// many samples it shows.
func progressPlot(d WritingLabelData) (*LinePlot, int) {
	limit := d.MaxProgressSamples
	if limit <= 0 {
		limit = 8
	}
	type cand struct {
		id    string
		hist  []LevelAt
		final int
	}
	var cands []cand
	for _, p := range d.Progress {
		h := sortedHistory(p.History)
		if len(h) == 0 {
			continue
		}
		cands = append(cands, cand{p.SampleID, h, h[len(h)-1].Level})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if len(a.hist) != len(b.hist) {
			return len(a.hist) > len(b.hist)
		}
		if a.final != b.final {
			return a.final > b.final
		}
		return a.id < b.id
	})
	cands = cands[:min(limit, len(cands))]
	plot := &LinePlot{ID: "level-progress", Title: "Reference level over training steps", XLabel: "training step", YLabel: "reference level", Step: true, IntegerY: true, XEnd: float64(d.LastStep)}
	for _, c := range cands {
		s := Series{Name: c.id}
		for _, h := range c.hist {
			s.Points = append(s.Points, Point{X: float64(h.Step), Y: float64(h.Level)})
		}
		plot.Series = append(plot.Series, s)
	}
	return plot, len(cands)
}
