package report

import (
	"fmt"
	"strings"
	"testing"
)

// TestVideoBuildExamples: the video build report draws at most MaxVideoExamples
// examples, each a timeline with one mark per segment, captioned with its query and
// naming its video; hostile text in any field renders as text.
func TestVideoBuildExamples(t *testing.T) {
	many := make([]VideoExample, 8)
	for i := range many {
		many[i] = VideoExample{ID: fmt.Sprintf("id-%d", i), Video: fmt.Sprintf("v%d.mp4", i), Task: "tvg", Query: fmt.Sprintf("query %d", i),
			DurationSec: 10, Segments: [][2]float64{{1, 2}, {3, 4}, {5, 6}}[:1+i%3]}
	}
	hostile := `<script>alert(1)</script>`
	tests := []struct {
		name       string
		examples   []VideoExample
		wantCharts []string
		wantMarks  []int
		wantText   []string
	}{
		{name: "none: no section", examples: nil},
		{name: "eight: the first six", examples: many,
			wantCharts: []string{"example-1", "example-2", "example-3", "example-4", "example-5", "example-6"},
			wantMarks:  []int{1, 2, 3, 1, 2, 3},
			wantText:   []string{"query 0", "v0.mp4", "id id-5", "query 5", "3 segments"}},
		{name: "hostile text is text", examples: []VideoExample{{ID: hostile, Video: `"><img src=x onerror=alert(2)>`, Task: `</svg>`,
			Query: hostile, DurationSec: 5, Segments: [][2]float64{{1, 2}}}},
			wantCharts: []string{"example-1"}, wantMarks: []int{1},
			wantText: []string{hostile, `"><img src=x onerror=alert(2)>`, "task </svg>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := render(t, VideoBuild(VideoBuildData{Examples: tc.examples}))
			for _, bad := range []string{"<script", "<img"} {
				if strings.Contains(string(page), bad) {
					t.Errorf("page contains raw %q", bad)
				}
			}
			info := parsePage(t, page)
			var ids []string
			var marks []int
			for _, c := range info.Charts {
				if strings.HasPrefix(c.ID, "example-") {
					ids, marks = append(ids, c.ID), append(marks, c.Marks)
				}
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.wantCharts) || fmt.Sprint(marks) != fmt.Sprint(tc.wantMarks) {
				t.Errorf("example charts %v with marks %v, want %v with %v", ids, marks, tc.wantCharts, tc.wantMarks)
			}
			if has := contains(info.Sections, "Example samples"); has != (len(tc.wantCharts) > 0) {
				t.Errorf("sections %q: Example samples present = %v", info.Sections, has)
			}
			for _, w := range tc.wantText {
				if !strings.Contains(info.Text, w) {
					t.Errorf("page text lacks %q", w)
				}
			}
			if info.Elements["script"]+info.Elements["img"] > 0 {
				t.Errorf("page has a script or img element")
			}
		})
	}
}

// TestVideoBuildSampleNote: the report says when the per-sample distributions are
// drawn from a sample of the rows, and only then.
func TestVideoBuildSampleNote(t *testing.T) {
	tests := []struct {
		name string
		rows int64
		want string // "" = no note
	}{
		{"every row", 0, ""},
		{"as many rows as values", 3, ""},
		{"a sample", 12000, "from a uniform sample of 3 of the job's 12,000 written rows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := VideoBuildData{SegmentsPerSample: []int{1, 2, 1}, Rows: tc.rows}
			text := parsePage(t, render(t, VideoBuild(d))).Text
			if got := strings.Contains(text, "uniform sample"); got != (tc.want != "") || !strings.Contains(text, tc.want) {
				t.Errorf("note present = %v, want %q", got, tc.want)
			}
		})
	}
}
