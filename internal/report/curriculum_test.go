package report

import (
	"slices"
	"strings"
	"testing"
)

// TestBandHistogram: the band is shaded behind the bins, its edges drawn at their x
// positions on the fixed [0, 1] axis, and the values inside it (edges included) noted.
func TestBandHistogram(t *testing.T) {
	tests := []struct {
		name      string
		lo, hi    float64
		values    []float64
		wantEdges []string
		wantNote  string
	}{
		{"quarter band", 0.25, 0.75, []float64{0.1, 0.3, 0.75, 0.9}, []string{"180.5", "421.5"}, "kept band [0.25, 0.75]: 2 of 4 values (50.0%) inside"},
		{"whole axis", 0, 1, []float64{0, 1}, []string{"60", "542"}, "kept band [0, 1]: 2 of 2 values (100.0%) inside"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := &BandHistogram{Histogram: Histogram{ID: "m", Values: tc.values, Lo: 0, Hi: 1, Bins: 10}, BandLo: tc.lo, BandHi: tc.hi, BandLabel: "kept band"}
			f := b.figure()
			if len(f.Shapes) == 0 || f.Shapes[0].Class != "band" {
				t.Fatalf("first shape is not the band: %+v", f.Shapes)
			}
			var edges []string
			for _, s := range f.Shapes {
				if s.Kind == "line" && s.Class == "threshold" {
					edges = append(edges, s.X)
				}
			}
			if !slices.Equal(edges, tc.wantEdges) {
				t.Errorf("band edges at x %v, want %v", edges, tc.wantEdges)
			}
			if !slices.Contains(f.Notes, tc.wantNote) {
				t.Errorf("notes %q lack %q", f.Notes, tc.wantNote)
			}
			if got := len(markTitles(f)); got == 0 {
				t.Error("no bins drawn")
			}
		})
	}
	empty := (&BandHistogram{Histogram: Histogram{Lo: 0, Hi: 1}, BandLo: 0.2, BandHi: 0.8}).figure()
	for _, s := range empty.Shapes {
		if strings.Contains(s.Class, "band") {
			t.Error("a histogram without data draws the band")
		}
	}
}

func TestCurriculumDifficultyReport(t *testing.T) {
	r := CurriculumDifficulty(CurriculumDifficultyData{Means: []float64{0.1, 0.5}, Rollouts: []float64{4, 4}, BandLo: 0.2, BandHi: 0.8,
		Decisions: map[string]int64{"kept": 1, "too_hard": 1}})
	f := findChart(t, r, "sample-means")
	if !slices.Contains(f.Notes, "kept band [0.2, 0.8]: 1 of 2 values (50.0%) inside") {
		t.Errorf("notes %q", f.Notes)
	}
}
