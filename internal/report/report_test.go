package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestSampleReportsDrawEveryChart(t *testing.T) {
	wantCharts := map[string][]string{
		"writing-select":  {"margins", "policy-scores", "best-reference-scores", "margins-selected", "margins-rejected", "references-per-sample", "ladder-gaps", "ladder-gap-by-step", "judge-usage"},
		"writing-label":   {"outcome-rates", "level-progress", "final-levels", "judge-usage"},
		"writing-advance": {"levels"},
		"video-build": {"validation", "segments-per-sample", "segment-durations", "video-durations", "frames-per-sample", "decode-fps",
			"example-1", "example-2", "example-3", "example-4"},
		"video-score": {"mean-rewards", "phase-1-format", "phase-1-global", "phase-1-local", "phase-1-total",
			"phase-2-format", "phase-2-global", "phase-2-local", "phase-2-total"},
	}
	for name, r := range sampleReports() {
		t.Run(name, func(t *testing.T) {
			info := parsePage(t, render(t, r))
			checkCharts(t, name, info.Charts)
			var ids []string
			for _, c := range info.Charts {
				ids = append(ids, c.ID)
			}
			if got, want := strings.Join(ids, ","), strings.Join(wantCharts[name], ","); got != want {
				t.Errorf("charts = %s, want %s", got, want)
			}
			if len(info.Sections) == 0 || !strings.HasPrefix(info.Sections[0], "Accounting") {
				t.Errorf("first section = %q, want Accounting", info.Sections)
			}
			if len(info.Accounting) != 1 || info.Accounting[0] != "ok" {
				t.Errorf("accounting = %v, want [ok]", info.Accounting)
			}
			if !contains(info.Links, "deadletter/") {
				t.Errorf("links %v lack deadletter/", info.Links)
			}
		})
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	for name := range sampleReports() {
		a := render(t, sampleReports()[name])
		b := render(t, sampleReports()[name])
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders differ", name)
		}
	}
}

func TestPageIsSelfContained(t *testing.T) {
	for name, r := range sampleReports() {
		page := string(render(t, r))
		for _, bad := range []string{"<script", "<link", "<img", "<iframe", "@import", "url(", "src="} {
			if strings.Contains(page, bad) {
				t.Errorf("%s: page contains %q", name, bad)
			}
		}
		if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
			// Only the SVG namespace URI may appear; it is not fetched.
			if strings.Count(page, "http") != strings.Count(page, `xmlns="http://www.w3.org/2000/svg"`) {
				t.Errorf("%s: page references a URL", name)
			}
		}
	}
}

func TestAccounting(t *testing.T) {
	tests := []struct {
		name      string
		counts    Counts
		reasons   []ReasonCount
		wantState string
		wantText  []string
	}{
		{
			name:      "balanced",
			counts:    Counts{Read: 10, Written: 6, Filtered: 3, DeadLettered: 1},
			reasons:   []ReasonCount{{"bad json", 1}},
			wantState: "ok",
			wantText:  []string{"OK", "read 10 = written 6 + filtered 3 + dead-lettered 1", "bad json"},
		},
		{
			name:      "lost records",
			counts:    Counts{Read: 1000, Written: 600, Filtered: 300, DeadLettered: 90},
			wantState: "mismatch",
			wantText:  []string{"MISMATCH", "difference 10", "990"},
		},
		{
			name:      "extra counters sorted",
			counts:    Counts{Read: 1, Written: 1, Extra: map[string]int64{"zeta": 5, "alpha": 7}},
			wantState: "ok",
			wantText:  []string{"alpha", "zeta"},
		},
		{
			name:      "reasons do not cover dead letters",
			counts:    Counts{Read: 5, DeadLettered: 5},
			reasons:   []ReasonCount{{"x", 2}},
			wantState: "ok",
			wantText:  []string{"the reasons account for 2 of 5 dead letters"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &Report{Title: "t", Accounting: Accounting{Counts: tc.counts, Reasons: tc.reasons}}
			info := parsePage(t, render(t, r))
			if len(info.Accounting) != 1 || info.Accounting[0] != tc.wantState {
				t.Errorf("accounting state = %v, want %s", info.Accounting, tc.wantState)
			}
			for _, w := range tc.wantText {
				if !strings.Contains(info.Text, w) {
					t.Errorf("text lacks %q", w)
				}
			}
		})
	}
	// Order of the extra counters: alpha before zeta.
	info := parsePage(t, render(t, &Report{Accounting: Accounting{Counts: tests[2].counts}}))
	if strings.Index(info.Text, "alpha") > strings.Index(info.Text, "zeta") {
		t.Errorf("extra counters not sorted by name")
	}
}

func TestAccountingReasonsOrderAndCap(t *testing.T) {
	var reasons []ReasonCount
	// 12 reasons with counts 1..12 given in ascending order, plus a tie.
	for i := 1; i <= 12; i++ {
		reasons = append(reasons, ReasonCount{Reason: "reason-" + string(rune('a'+i-1)), Count: int64(i)})
	}
	reasons = append(reasons, ReasonCount{Reason: "reason-0-tie", Count: 12})
	r := &Report{Accounting: Accounting{Counts: Counts{Read: 91, DeadLettered: 91}, Reasons: reasons, MaxReasons: 3}}
	text := parsePage(t, render(t, r)).Text
	// Count desc, then reason asc: reason-0-tie (12), reason-l (12), reason-k (11).
	iTie, iL, iK := strings.Index(text, "reason-0-tie"), strings.Index(text, "reason-l"), strings.Index(text, "reason-k")
	if iTie < 0 || iL < 0 || iK < 0 || !(iTie < iL && iL < iK) {
		t.Errorf("reasons out of order: tie %d, l %d, k %d", iTie, iL, iK)
	}
	if strings.Contains(text, "reason-j") {
		t.Errorf("fourth reason shown despite MaxReasons 3")
	}
	// The rest: 10 reasons with counts 1..10, i.e. 55 dead letters.
	if !strings.Contains(text, "and 10 more reasons with 55 dead letters") {
		t.Errorf("missing summary of the remaining reasons")
	}
}

func TestCountsBalanced(t *testing.T) {
	tests := []struct {
		name string
		c    Counts
		want bool
	}{
		{"zero", Counts{}, true},
		{"exact", Counts{Read: 7, Written: 4, Filtered: 2, DeadLettered: 1}, true},
		{"more read", Counts{Read: 8, Written: 4, Filtered: 2, DeadLettered: 1}, false},
		{"more out", Counts{Read: 6, Written: 4, Filtered: 2, DeadLettered: 1}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.Balanced(); got != tc.want {
				t.Errorf("Balanced() = %v, want %v", got, tc.want)
			}
		})
	}
}

// contains reports whether xs holds x.
func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
