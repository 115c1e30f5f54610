package report

import (
	"math"
	"strings"
	"testing"
)

func TestHostileStringsAreEscaped(t *testing.T) {
	hostile := []string{
		`<script>alert(1)</script>`,
		`"><img src=x onerror=alert(2)>`,
		`</svg><script>alert(3)</script>`,
		`' onmouseover='alert(4)`,
		`A & B < C > D`,
		`]]><!--`,
	}
	for i, h := range hostile {
		t.Run(h, func(t *testing.T) {
			r := &Report{
				Title:    h,
				Subtitle: h,
				Accounting: Accounting{
					Counts:  Counts{Read: 1, DeadLettered: 1, Extra: map[string]int64{h: 1}},
					Reasons: []ReasonCount{{Reason: h, Count: 1}},
				},
				Sections: []Section{{Title: h, Blocks: []Block{
					Text(h),
					KeyValues(h, KV{h, h}),
					&Histogram{ID: h, Title: h, XLabel: h, YLabel: h, Values: []float64{1, 2, 3}, Threshold: &Threshold{Value: 2, Label: h}},
					&BarChart{ID: h, Title: h, Categories: []string{h}, Series: []BarSeries{{Name: h, Values: []float64{1}, Color: h}}, ValueLabel: h},
					&LinePlot{ID: h, Title: h, XLabel: h, YLabel: h, Series: []Series{{Name: h, Points: []Point{{1, 1}}, Color: h}}},
				}}},
			}
			page := string(render(t, r))
			for _, bad := range []string{"<script", "<img", "<!--"} {
				if strings.Contains(page, bad) {
					t.Errorf("page %d contains raw %q", i, bad)
				}
			}
			info := parsePage(t, []byte(page))
			for _, el := range []string{"script", "img"} {
				if info.Elements[el] > 0 {
					t.Errorf("page %d has a <%s> element", i, el)
				}
			}
			for a := range info.Attrs {
				if strings.HasPrefix(a, "on") {
					t.Errorf("page %d has an event handler attribute %q", i, a)
				}
			}
			if !strings.Contains(info.Text, h) {
				t.Errorf("page text does not contain the string itself, decoded")
			}
			if len(info.Charts) != 3 {
				t.Fatalf("got %d charts, want 3: %s", len(info.Charts), describeCharts(info.Charts))
			}
			for _, c := range info.Charts {
				if strings.ContainsAny(c.ID, `<>"' &`) {
					t.Errorf("chart id %q not slugged", c.ID)
				}
			}
			checkCharts(t, "hostile", info.Charts)
		})
	}
}

func TestEmptyChartsSayNoData(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name  string
		block Block
	}{
		{"histogram nil", &Histogram{Title: "h"}},
		{"histogram only NaN and Inf", &Histogram{Title: "h", Values: []float64{nan, math.Inf(1)}}},
		{"bar no categories", &BarChart{Title: "b", Series: []BarSeries{{Name: "s", Values: []float64{1}}}}},
		{"bar no series", &BarChart{Title: "b", Categories: []string{"a"}}},
		{"line no series", &LinePlot{Title: "l"}},
		{"line series without points", &LinePlot{Title: "l", Series: []Series{{Name: "s"}}}},
		{"line only NaN points", &LinePlot{Title: "l", Series: []Series{{Name: "s", Points: []Point{{nan, 1}, {1, nan}}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &Report{Sections: []Section{{Title: "s", Blocks: []Block{tc.block}}}}
			info := parsePage(t, render(t, r))
			if len(info.Charts) != 1 {
				t.Fatalf("got %d charts, want 1", len(info.Charts))
			}
			c := info.Charts[0]
			if c.Points != 0 || !c.Empty || c.Marks != 0 {
				t.Errorf("chart = %+v, want 0 points, empty, 0 marks", c)
			}
			if !strings.Contains(c.Text, "no data") {
				t.Errorf("chart text %q lacks \"no data\"", c.Text)
			}
		})
	}
}

func TestEmptyTableSaysNoData(t *testing.T) {
	r := &Report{Sections: []Section{{Title: "s", Blocks: []Block{&Table{Caption: "empty"}}}}}
	if text := parsePage(t, render(t, r)).Text; !strings.Contains(text, "no data") {
		t.Errorf("empty table lacks \"no data\"")
	}
}

func TestJobReportsWithNoData(t *testing.T) {
	reports := map[string]*Report{
		"writing select": WritingSelect(WritingSelectData{}),
		"writing label":  WritingLabel(WritingLabelData{}),
		"video build":    VideoBuild(VideoBuildData{}),
		"video score":    VideoScore(VideoScoreData{Phases: []PhaseRewards{{Phase: "phase 1"}}}),
	}
	for name, r := range reports {
		t.Run(name, func(t *testing.T) {
			info := parsePage(t, render(t, r))
			if len(info.Accounting) != 1 || info.Accounting[0] != "ok" {
				t.Errorf("accounting = %v, want [ok] for all-zero counts", info.Accounting)
			}
			for _, c := range info.Charts {
				if c.Marks != c.Points {
					t.Errorf("chart %q: %d marks, %d points", c.ID, c.Marks, c.Points)
				}
				if c.Points == 0 && !strings.Contains(c.Text, "no data") {
					t.Errorf("chart %q drew nothing and does not say \"no data\"", c.ID)
				}
			}
		})
	}
}
