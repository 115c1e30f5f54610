package report

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func TestQuantile(t *testing.T) {
	tests := []struct {
		values []float64
		q      float64
		want   float64
	}{
		{[]float64{1, 2, 3, 4, 5}, 0.5, 3},
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},
		{[]float64{1, 2, 3, 4, 5}, 0.25, 2},
		{[]float64{10, 20}, 0.1, 11},
		{[]float64{7}, 0.9, 7},
		{[]float64{1, 2, 3}, 1, 3},
		{[]float64{1, 2, 3}, 0, 1},
	}
	for _, tc := range tests {
		if got := quantile(tc.values, tc.q); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("quantile(%v, %g) = %g, want %g", tc.values, tc.q, got, tc.want)
		}
	}
	if got := quantile(nil, 0.5); !math.IsNaN(got) {
		t.Errorf("quantile of nothing = %g, want NaN", got)
	}
}

// TestWritingSelectCompare: the report puts the selected and rejected margins side by
// side and shows the examples' prompts and both answers, long ones cut.
func TestWritingSelectCompare(t *testing.T) {
	d := WritingSelectData{SelectedMargins: []float64{3, 4, 5}, RejectedMargins: []float64{-1, 0, 1, 2},
		Examples: []WritingExample{{ID: "s1", Prompt: "Write a haiku <about> rain", Policy: "drip", BestReference: strings.Repeat("w", 700), Margin: 4}}}
	var b bytes.Buffer
	if err := WritingSelect(d).Render(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{"Selected versus rejected", "selected (n=3)", "rejected (n=4)", "<td>median</td><td class=\"num\">4</td><td class=\"num\">0.5</td>",
		"Sample s1", "Write a haiku &lt;about&gt; rain", "drip", "(100 more characters)"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
