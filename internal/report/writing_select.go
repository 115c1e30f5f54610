package report

import (
	"fmt"
	"math"
)

// WritingSelectData is what the writing select job knows at the end of a run.
// Per-sample slices need not have equal lengths (a sample may lack a score).
type WritingSelectData struct {
	Run
	// Strategy names the selection strategy, e.g. "margin", "difficulty".
	Strategy string
	// Candidates and Selected count the samples considered and kept.
	Candidates, Selected int64
	// PolicyScores are the judge scores (1-10) of the policy's responses.
	PolicyScores []float64
	// BestReferenceScores are the judge scores of each sample's best reference.
	BestReferenceScores []float64
	// Margins are best reference minus policy score, per sample.
	Margins []float64
	// MarginThreshold is the margin at or above which samples were
	// selected; nil when no threshold applies (e.g. random).
	MarginThreshold *float64
	// ReferenceScores are each sample's reference scores in ladder order,
	// weakest to strongest.
	ReferenceScores [][]float64
	// Judge is the judge usage.
	Judge JudgeStats
	// SelectedMargins and RejectedMargins split Margins by the selection.
	SelectedMargins, RejectedMargins []float64
	// Examples are a few selected samples with both answers.
	Examples []WritingExample
	// Note, when set, says how the distributions were drawn (e.g. from a sample).
	Note string
}

// WritingSelect builds the report of a writing select run: selection
// summary, margin (with the threshold marked), policy and best-reference
// score distributions, references per sample, score gaps along the ladder
// and judge usage.
func WritingSelect(d WritingSelectData) *Report {
	rep := d.Run.start("writing select")
	summary := KeyValues("Selection",
		KV{"strategy", defaultStr(d.Strategy, "n/a")},
		KV{"candidates", formatCount(d.Candidates)},
		KV{"selected", formatCount(d.Selected)},
	)
	var th *Threshold
	if d.MarginThreshold != nil {
		th = &Threshold{Value: *d.MarginThreshold, Label: "selection threshold"}
		summary.Rows = append(summary.Rows, []string{"margin threshold", formatNum(*d.MarginThreshold, 4)})
	}
	selection := []Block{summary}
	if d.Note != "" {
		selection = append(selection, Text(d.Note))
	}
	rep.Sections = append(rep.Sections, Section{Title: "Selection", Blocks: append(selection,
		&Histogram{ID: "margins", Title: "Margin: best reference − policy score", XLabel: "margin (score points)", YLabel: "samples", Values: d.Margins, Threshold: th},
		&Histogram{ID: "policy-scores", Title: "Policy response scores", XLabel: "judge score", YLabel: "samples", Values: d.PolicyScores},
		&Histogram{ID: "best-reference-scores", Title: "Best reference scores", XLabel: "judge score", YLabel: "samples", Values: d.BestReferenceScores},
	)})

	perSample := make([]float64, len(d.ReferenceScores))
	var gaps []float64
	var stepSum []float64
	var stepN []int
	for i, ladder := range d.ReferenceScores {
		perSample[i] = float64(len(ladder))
		for k := 1; k < len(ladder); k++ {
			g := ladder[k] - ladder[k-1]
			if !finite(g) {
				continue
			}
			gaps = append(gaps, g)
			for len(stepSum) < k {
				stepSum = append(stepSum, 0)
				stepN = append(stepN, 0)
			}
			stepSum[k-1] += g
			stepN[k-1]++
		}
	}
	steps := &BarChart{ID: "ladder-gap-by-step", Title: "Mean score gap per ladder step", ValueLabel: "mean gap (score points)"}
	means := make([]float64, len(stepSum))
	for k := range stepSum {
		steps.Categories = append(steps.Categories, fmt.Sprintf("ref %d → %d (n=%s)", k, k+1, formatCount(int64(stepN[k]))))
		means[k] = stepSum[k] / float64(stepN[k])
	}
	if len(means) > 0 {
		steps.Series = []BarSeries{{Name: "mean gap", Values: means}}
	}
	refs := []Block{
		&Histogram{ID: "references-per-sample", Title: "References per sample", XLabel: "references", YLabel: "samples", Values: perSample, Integer: true},
		&Histogram{ID: "ladder-gaps", Title: "Score gaps between neighbouring references", XLabel: "gap (score points)", YLabel: "pairs", Values: gaps},
		steps,
	}
	if neg := countBelow(gaps, 0); neg > 0 {
		refs = append(refs, Text(fmt.Sprintf("%d neighbouring pairs have a negative gap: those ladders are not ordered weakest to strongest.", neg)))
	}
	rep.Sections = append(rep.Sections,
		compareSection(d.SelectedMargins, d.RejectedMargins),
		examplesSection(d.Examples),
		Section{Title: "Reference ladders", Blocks: refs},
		Section{Title: "Judge", Blocks: d.Judge.blocks()},
	)
	return d.Run.finish(rep)
}

// countBelow counts the values strictly below limit.
func countBelow(values []float64, limit float64) int {
	n := 0
	for _, v := range values {
		if v < limit && !math.IsNaN(v) {
			n++
		}
	}
	return n
}
