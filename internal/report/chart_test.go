package report

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// markTitles returns the tooltips of a figure's marks in drawing order.
func markTitles(f *figure) []string {
	var out []string
	for _, s := range f.Shapes {
		if hasClass(s.Class, "mark") {
			out = append(out, s.Title)
		}
	}
	return out
}

// findChart returns the chart with the given ID in r's rendered view.
func findChart(t *testing.T, r *Report, id string) *figure {
	t.Helper()
	for _, s := range r.page().Sections {
		for _, b := range s.Blocks {
			if b.Chart != nil && b.Chart.ID == id {
				return b.Chart
			}
		}
	}
	t.Fatalf("no chart %q", id)
	return nil
}

func TestHistogramBins(t *testing.T) {
	tests := []struct {
		name      string
		h         Histogram
		wantMarks []string
		wantNotes []string
	}{
		{
			name:      "five bins over 0..10, max in last bin",
			h:         Histogram{Values: []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, Bins: 5, Threshold: &Threshold{Value: 8}},
			wantMarks: []string{"[0, 2): 2", "[2, 4): 2", "[4, 6): 2", "[6, 8): 2", "[8, 10): 3"},
			wantNotes: []string{"threshold 8: 3 of 11 values (27.3%) at or above", "n = 11 · mean 5 · median 5 · min 0 · max 10"},
		},
		{
			name:      "fixed range drops outsiders",
			h:         Histogram{Values: []float64{-0.5, 0.5, 2}, Bins: 2, Lo: 0, Hi: 1},
			wantMarks: []string{"[0.5, 1): 1"},
			wantNotes: []string{"2 values outside [0, 1] not drawn"},
		},
		{
			name:      "integer bins",
			h:         Histogram{Values: []float64{1, 1, 2, 5}, Integer: true},
			wantMarks: []string{"1: 2", "2: 1", "5: 1"},
		},
		{
			name:      "all equal values",
			h:         Histogram{Values: []float64{3, 3, 3}, Bins: 1},
			wantMarks: []string{"[2.5, 3.5): 3"},
		},
		{
			name:      "non-finite skipped",
			h:         Histogram{Values: []float64{1, math.NaN(), math.Inf(-1), 2}, Bins: 2},
			wantMarks: []string{"[1, 1.5): 1", "[1.5, 2): 1"},
			wantNotes: []string{"2 non-finite values skipped"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.h.figure()
			if got := markTitles(f); !reflect.DeepEqual(got, tc.wantMarks) {
				t.Errorf("marks = %q, want %q", got, tc.wantMarks)
			}
			if f.Points != len(tc.wantMarks) {
				t.Errorf("Points = %d, want %d", f.Points, len(tc.wantMarks))
			}
			notes := strings.Join(f.Notes, "\n")
			for _, n := range tc.wantNotes {
				if !strings.Contains(notes, n) {
					t.Errorf("notes %q lack %q", notes, n)
				}
			}
		})
	}
}

func TestBarChartMarks(t *testing.T) {
	tests := []struct {
		name      string
		b         BarChart
		wantMarks []string
	}{
		{
			name:      "grouped with a zero and a missing value",
			b:         BarChart{Categories: []string{"a", "b"}, Series: []BarSeries{{Name: "x", Values: []float64{3, 0}}, {Name: "y", Values: []float64{1.5}}}},
			wantMarks: []string{"a · x: 3", "a · y: 1.5", "b · x: 0", "b · y: 0"},
		},
		{
			name:      "stacked percent",
			b:         BarChart{Categories: []string{"lvl"}, Stacked: true, Percent: true, Series: []BarSeries{{Name: "win", Values: []float64{0.25}}, {Name: "loss", Values: []float64{0.75}}}},
			wantMarks: []string{"lvl · win: 25.0%", "lvl · loss: 75.0%"},
		},
		{
			name:      "stacked skips negatives",
			b:         BarChart{Categories: []string{"c"}, Stacked: true, Series: []BarSeries{{Name: "p", Values: []float64{2}}, {Name: "n", Values: []float64{-1}}}},
			wantMarks: []string{"c · p: 2"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.b.figure()
			if got := markTitles(f); !reflect.DeepEqual(got, tc.wantMarks) {
				t.Errorf("marks = %q, want %q", got, tc.wantMarks)
			}
		})
	}
}

func TestStackedBarsFillTheAxis(t *testing.T) {
	// Two segments of 0.25 and 0.75 on a 0..100% axis: the second starts
	// where the first ends and the two widths are in ratio 1:3.
	b := BarChart{Categories: []string{"lvl"}, Stacked: true, Percent: true, Series: []BarSeries{{Name: "w", Values: []float64{0.25}}, {Name: "l", Values: []float64{0.75}}}}
	var rects []shape
	for _, s := range b.figure().Shapes {
		if hasClass(s.Class, "mark") {
			rects = append(rects, s)
		}
	}
	x0, w0, x1, w1 := num(t, rects[0].X), num(t, rects[0].W), num(t, rects[1].X), num(t, rects[1].W)
	if math.Abs(x0+w0-x1) > 0.11 {
		t.Errorf("second segment starts at %v, first ends at %v", x1, x0+w0)
	}
	if math.Abs(w1-3*w0) > 0.3 {
		t.Errorf("widths %v and %v are not 1:3", w0, w1)
	}
}

func TestLinePlotMarks(t *testing.T) {
	l := LinePlot{Step: true, XEnd: 10, Series: []Series{
		{Name: "a", Points: []Point{{5, 1}, {0, 0}, {math.NaN(), 2}}},
		{Name: "b", Points: []Point{{0, 0}, {7, 2}}},
	}}
	f := l.figure()
	want := []string{"a: (0, 0)", "a: (5, 1)", "b: (0, 0)", "b: (7, 2)"}
	if got := markTitles(f); !reflect.DeepEqual(got, want) {
		t.Errorf("marks = %q, want %q", got, want)
	}
	if !strings.Contains(strings.Join(f.Notes, "\n"), "1 non-finite points skipped") {
		t.Errorf("notes %q lack the skipped point", f.Notes)
	}
	var paths []string
	for _, s := range f.Shapes {
		if s.Kind == "path" {
			paths = append(paths, s.D)
		}
	}
	if len(paths) != 2 {
		t.Fatalf("got %d paths, want 2", len(paths))
	}
	for _, d := range paths {
		if !strings.Contains(d, " V") || !strings.HasSuffix(d, " H"+px(plotW-marR)) {
			t.Errorf("step path %q lacks steps or the extension to XEnd", d)
		}
	}
}

func TestWritingSelectLadderGaps(t *testing.T) {
	r := WritingSelect(WritingSelectData{ReferenceScores: [][]float64{{1, 3, 6}, {2, 2.5}, {4}}})
	got := markTitles(findChart(t, r, "ladder-gap-by-step"))
	// Gaps: step 0 -> 1: 2 and 0.5 (mean 1.25); step 1 -> 2: 3.
	want := []string{"ref 0 → 1 (n=2) · mean gap: 1.25", "ref 1 → 2 (n=1) · mean gap: 3"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("gap bars = %q, want %q", got, want)
	}
	refs := markTitles(findChart(t, r, "references-per-sample"))
	if want := []string{"1: 1", "2: 1", "3: 1"}; !reflect.DeepEqual(refs, want) {
		t.Errorf("references per sample = %q, want %q", refs, want)
	}
}

func TestWritingLabelProgressChoice(t *testing.T) {
	d := WritingLabelData{MaxProgressSamples: 2, LastStep: 100, Progress: []SampleProgress{
		{SampleID: "short", History: []LevelAt{{0, 0}}},
		{SampleID: "b-long", History: []LevelAt{{50, 1}, {0, 0}}},
		{SampleID: "a-long", History: []LevelAt{{0, 0}, {60, 1}}},
		{SampleID: "high", History: []LevelAt{{0, 1}, {10, 2}}},
	}}
	// Longest histories: b-long, a-long, high (2 points each); by final
	// level, high (2) first; then a-long before b-long by ID.
	f := findChart(t, WritingLabel(d), "level-progress")
	var names []string
	for _, s := range f.Shapes {
		if s.Class == "legend-label" {
			names = append(names, s.Text)
		}
	}
	if want := []string{"high", "a-long"}; !reflect.DeepEqual(names, want) {
		t.Errorf("plotted samples = %q, want %q", names, want)
	}
}

func TestWritingLabelRates(t *testing.T) {
	d := WritingLabelData{Outcomes: []LevelOutcome{{Level: 1, Wins: 1, Ties: 1, Losses: 2}, {Level: 0, Wins: 3, Failures: 1}, {Level: 2}}}
	got := markTitles(findChart(t, WritingLabel(d), "outcome-rates"))
	want := []string{
		"level 0 (n=4) · win: 75.0%", "level 0 (n=4) · tie: 0.0%", "level 0 (n=4) · loss: 0.0%", "level 0 (n=4) · failure: 25.0%",
		"level 1 (n=4) · win: 25.0%", "level 1 (n=4) · tie: 25.0%", "level 1 (n=4) · loss: 50.0%", "level 1 (n=4) · failure: 0.0%",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rates = %q, want %q", got, want)
	}
}

func TestVideoBuildValidationSums(t *testing.T) {
	d := VideoBuildData{Validation: []OutcomeCount{{"overlap", "flagged", 2}, {"reversed", "dropped", 1}, {"overlap", "flagged", 3}}}
	got := markTitles(findChart(t, VideoBuild(d), "validation"))
	want := []string{"overlap · flagged: 5", "overlap · dropped: 0", "reversed · flagged: 0", "reversed · dropped: 1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("validation = %q, want %q", got, want)
	}
}

func TestVideoScoreMeans(t *testing.T) {
	d := VideoScoreData{Phases: []PhaseRewards{{Phase: "p1", Format: []float64{1, 0.2}, Global: []float64{0.5}, Local: []float64{0, 1}, Total: []float64{1.5, 1.2}}}}
	got := markTitles(findChart(t, VideoScore(d), "mean-rewards"))
	want := []string{"format F · p1: 0.6", "global matching rG · p1: 0.5", "local matching rL · p1: 0.5", "total · p1: 1.35"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("means = %q, want %q", got, want)
	}
}
