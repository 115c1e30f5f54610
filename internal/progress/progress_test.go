package progress

import (
	"strings"
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		name   string
		now    map[string]int64
		prev   map[string]int64
		totals map[string]int64
		want   []string
	}{
		{"rate", map[string]int64{"read": 100}, map[string]int64{"read": 40}, nil, []string{"read", "100", "30.0/s"}},
		{"eta", map[string]int64{"judge": 50}, map[string]int64{"judge": 30}, map[string]int64{"judge": 100}, []string{"50.0%", "ETA 5s"}},
		{"done has no eta", map[string]int64{"judge": 100}, map[string]int64{"judge": 90}, map[string]int64{"judge": 100}, []string{"100.0%"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Format(tc.now, tc.prev, tc.totals, 2*time.Second, 10*time.Second)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("Format() = %q, want it to contain %q", got, w)
				}
			}
			if tc.name == "done has no eta" && strings.Contains(got, "ETA") {
				t.Errorf("Format() = %q, want no ETA for a finished stage", got)
			}
		})
	}
}

func TestAddSnapshot(t *testing.T) {
	Reset()
	Add("a", 2)
	Add("a", 3)
	Add("b", 1)
	got := Snapshot()
	if got["a"] != 5 || got["b"] != 1 || len(got) != 2 {
		t.Errorf("Snapshot() = %v, want a=5 b=1", got)
	}
	Reset()
	if len(Snapshot()) != 0 {
		t.Errorf("Reset did not clear stages")
	}
}
