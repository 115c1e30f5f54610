package report

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// bar is where a timeline drew one segment: x, y, width, as the SVG attributes say.
type bar struct{ X, Y, W string }

// TestTimelinePositions: the axis runs from x = 20 to 540 (520 px), so with a duration
// of 26 s one second is 20 px, with 10 s 52 px, with 4 s 130 px. A lane is 28 px and a
// bar's top is 14 px below its lane's top, the first lane starting at y = 8: bars are at
// y = 22 in lane 0 and 50 in lane 1. The expected pixels below are worked out by hand
// from those numbers.
func TestTimelinePositions(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name      string
		tl        Timeline
		wantBars  []bar
		wantTexts []string // texts drawn, in order, that must be there
		wantLines map[string][]string
		wantNote  string
	}{
		{
			name: "two segments in one lane, frames as ticks",
			tl:   Timeline{DurationSec: 26, Segments: [][2]float64{{2.5, 5}, {13, 26}}, FrameTimesSec: []float64{0, 6.5, 13, 19.5}},
			// 20 + 2.5*20 = 70, width 2.5*20 = 50; 20 + 13*20 = 280, width 13*20 = 260.
			wantBars:  []bar{{"70", "22", "50"}, {"280", "22", "260"}},
			wantTexts: []string{"2.5–5", "13–26", "seconds"},
			// frame ticks at 20 + t*20.
			wantLines: map[string][]string{"frame": {"20", "150", "280", "410"}},
		},
		{
			name: "overlapping segment goes one lane down",
			tl:   Timeline{DurationSec: 10, Segments: [][2]float64{{1, 6}, {4, 9}}},
			// 20 + 52 = 72, width 5*52 = 260; 20 + 4*52 = 228, lane 1.
			wantBars: []bar{{"72", "22", "260"}, {"228", "50", "260"}},
		},
		{
			name: "segment past the end of the video extends the axis and marks the end",
			tl:   Timeline{DurationSec: 8, Segments: [][2]float64{{2, 10}}},
			// axis 0..10 s: 20 + 2*52 = 124, width 8*52 = 416; the end of video at 20 + 8*52 = 436.
			wantBars:  []bar{{"124", "22", "416"}},
			wantTexts: []string{"2–10", "end of video"},
			wantLines: map[string][]string{"threshold": {"436"}},
		},
		{
			name:     "zero-length segment is 2 px wide",
			tl:       Timeline{DurationSec: 4, Segments: [][2]float64{{1, 1}}},
			wantBars: []bar{{"150", "22", "2"}},
		},
		{
			name: "label without room on the right ends where the bar ends",
			tl:   Timeline{DurationSec: 10, Segments: [][2]float64{{9.9, 10}}},
			// 20 + 9.9*52 = 534.8, width 0.1*52 = 5.2; the label would need 6*6.2 px.
			wantBars:  []bar{{"534.8", "22", "5.2"}},
			wantTexts: []string{"9.9–10"},
		},
		{
			name:     "non-finite segment is left out and noted",
			tl:       Timeline{DurationSec: 4, Segments: [][2]float64{{nan, 2}, {1, 2}, {math.Inf(1), 3}}},
			wantBars: []bar{{"150", "22", "130"}},
			wantNote: "2 segments with a non-finite bound not drawn",
		},
		{
			name: "no segment: no data",
			tl:   Timeline{DurationSec: 4, FrameTimesSec: []float64{1, 2}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.tl.figure()
			var bars []bar
			texts := map[string]string{}
			lines := map[string][]string{}
			for _, s := range f.Shapes {
				switch {
				case hasClass(s.Class, "mark"):
					bars = append(bars, bar{s.X, s.Y, s.W})
				case s.Kind == "text":
					texts[s.Text] = s.Anchor
				case s.Kind == "line":
					lines[s.Class] = append(lines[s.Class], s.X)
				}
			}
			if !reflect.DeepEqual(bars, tc.wantBars) {
				t.Errorf("bars = %v, want %v", bars, tc.wantBars)
			}
			if f.Points != len(tc.wantBars) || f.Empty != (len(tc.wantBars) == 0) {
				t.Errorf("points = %d, empty = %v; want %d bars", f.Points, f.Empty, len(tc.wantBars))
			}
			for _, w := range tc.wantTexts {
				if _, ok := texts[w]; !ok {
					t.Errorf("no text %q in %v", w, texts)
				}
			}
			for class, want := range tc.wantLines {
				if !reflect.DeepEqual(lines[class], want) {
					t.Errorf("%s lines at x = %v, want %v", class, lines[class], want)
				}
			}
			if tc.wantNote != "" && !strings.Contains(strings.Join(f.Notes, "\n"), tc.wantNote) {
				t.Errorf("notes %q lack %q", f.Notes, tc.wantNote)
			}
		})
	}
	// The label of 9.9–10 is anchored at its end, 534.8 + 5.2 = 540.
	f := (&Timeline{DurationSec: 10, Segments: [][2]float64{{9.9, 10}}}).figure()
	for _, s := range f.Shapes {
		if s.Text == "9.9–10" && (s.X != "540" || s.Anchor != "end") {
			t.Errorf("label at x = %s anchored %q, want 540 anchored end", s.X, s.Anchor)
		}
	}
}
