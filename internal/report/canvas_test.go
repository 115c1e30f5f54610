package report

import "testing"

func TestColour(t *testing.T) {
	tests := []struct {
		name string
		in   string
		idx  int
		want string
	}{
		{"empty uses palette", "", 1, "#E69F00"},
		{"palette wraps", "", 9, "#E69F00"},
		{"short hex", "#abc", 0, "#abc"},
		{"long hex", "#1a7f37", 0, "#1a7f37"},
		{"hex with alpha", "#1a7f37ff", 0, "#1a7f37ff"},
		{"name", "teal", 0, "teal"},
		{"url rejected", "url(http://x/y)", 0, "#0072B2"},
		{"bad hex rejected", "#12345", 0, "#0072B2"},
		{"quote rejected", `red" onload="x`, 2, "#009E73"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := colour(tc.idx, tc.in); got != tc.want {
				t.Errorf("colour(%d, %q) = %q, want %q", tc.idx, tc.in, got, tc.want)
			}
		})
	}
}

func TestSlugAndUniqueID(t *testing.T) {
	seen := map[string]int{}
	tests := []struct {
		name, id, title, want string
	}{
		{"from title", "", "Margin: best − policy", "margin-best-policy"},
		{"explicit id", "Margins", "x", "margins"},
		{"duplicate gets suffix", "", "margins", "margins-2"},
		{"third", "margins", "", "margins-3"},
		{"nothing usable", "", "−−−", "chart"},
		{"second nothing", "", "", "chart-2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := uniqueID(seen, tc.id, tc.title); got != tc.want {
				t.Errorf("uniqueID(%q, %q) = %q, want %q", tc.id, tc.title, got, tc.want)
			}
		})
	}
}
