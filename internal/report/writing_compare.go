package report

import (
	"fmt"
	"math"
	"slices"
	"unicode/utf8"
)

// WritingExample is one selected sample shown with both answers.
type WritingExample struct {
	ID, Prompt, Policy, BestReference string
	Margin                            float64
}

// exampleChars is how much of a prompt or answer an example shows.
const exampleChars = 600

// quantileLevels are the quantiles of the selected-versus-rejected table.
var quantileLevels = []float64{0, 0.1, 0.25, 0.5, 0.75, 0.9, 1}

// quantile is the q-quantile of sorted finite values (linear interpolation), NaN for none.
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (pos-float64(i))*(sorted[i+1]-sorted[i])
}

// finiteSorted returns the finite values of xs, sorted.
func finiteSorted(xs []float64) []float64 {
	out := make([]float64, 0, len(xs))
	for _, x := range xs {
		if finite(x) {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}

// compareSection shows the margins of the selected and the rejected samples side by
// side: their quantiles and one histogram each.
func compareSection(selected, rejected []float64) Section {
	s, r := finiteSorted(selected), finiteSorted(rejected)
	t := &Table{Caption: "Margin quantiles", Header: []string{"quantile", fmt.Sprintf("selected (n=%s)", formatCount(int64(len(s)))), fmt.Sprintf("rejected (n=%s)", formatCount(int64(len(r))))}}
	cell := func(xs []float64, q float64) string {
		if v := quantile(xs, q); !math.IsNaN(v) {
			return formatNum(v, 3)
		}
		return "–"
	}
	for _, q := range quantileLevels {
		name := fmt.Sprintf("p%g", q*100)
		switch q {
		case 0:
			name = "min"
		case 0.5:
			name = "median"
		case 1:
			name = "max"
		}
		t.Rows = append(t.Rows, []string{name, cell(s, q), cell(r, q)})
	}
	return Section{Title: "Selected versus rejected", Blocks: []Block{t,
		&Histogram{ID: "margins-selected", Title: "Margins of the selected samples", XLabel: "margin (score points)", YLabel: "samples", Values: selected},
		&Histogram{ID: "margins-rejected", Title: "Margins of the rejected samples", XLabel: "margin (score points)", YLabel: "samples", Values: rejected},
	}}
}

// examplesSection shows selected samples with the policy's answer and the best
// reference, each cut to exampleChars characters.
func examplesSection(examples []WritingExample) Section {
	var blocks []Block
	for _, e := range examples {
		blocks = append(blocks, KeyValues("Sample "+e.ID,
			KV{"margin", formatNum(e.Margin, 3)},
			KV{"prompt", clip(e.Prompt)},
			KV{"policy answer", clip(e.Policy)},
			KV{"best reference", clip(e.BestReference)},
		))
	}
	if len(blocks) == 0 {
		blocks = append(blocks, Text("No sample was selected."))
	}
	return Section{Title: "Examples", Blocks: blocks}
}

// clip cuts s to exampleChars characters, marking the cut.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= exampleChars {
		return s
	}
	return string([]rune(s)[:exampleChars]) + fmt.Sprintf(" … (%s more characters)", formatCount(int64(utf8.RuneCountInString(s)-exampleChars)))
}
