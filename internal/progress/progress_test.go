package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestLine(t *testing.T) {
	tests := []struct {
		name    string
		now     map[string]int64
		prev    map[string]int64
		totals  map[string]int64
		want    []string
		notWant []string
	}{
		{"read with eta", map[string]int64{"read": 100, BytesStage: 500}, map[string]int64{"read": 40, BytesStage: 300}, map[string]int64{BytesStage: 1000},
			[]string{"read 50.0% of 1.0 kB", "30 lines/s", "ETA 5s"}, nil},
		{"read done: no eta", map[string]int64{"read": 100, BytesStage: 1000}, map[string]int64{"read": 90, BytesStage: 900}, map[string]int64{BytesStage: 1000},
			[]string{"read 100.0%"}, []string{"ETA"}},
		{"unknown size", map[string]int64{"read": 20000}, nil, nil, []string{"read 20.0k lines, 10.0k/s"}, []string{"%"}},
		{"busiest stage first", map[string]int64{"score": 50, "write.data": 10}, map[string]int64{"score": 10, "write.data": 8}, nil,
			[]string{"now: score 50 (20/s) · write.data 10"}, nil},
		{"stage total", map[string]int64{"videos": 3}, map[string]int64{"videos": 1}, map[string]int64{"videos": 12}, []string{"now: videos 3/12"}, nil},
		{"judge", map[string]int64{"label": 1, JudgeCalls: 120, JudgeCacheHits: 30, JudgeCostMicros: 126000}, nil, nil,
			[]string{"judge 120 calls, 30 cached, $0.13"}, []string{"judge.calls"}},
		{"no judge", map[string]int64{"score": 5}, nil, nil, nil, []string{"judge"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Line(tc.now, tc.prev, tc.totals, 2*time.Second, 10*time.Second)
			if strings.Contains(got, "\n") {
				t.Errorf("Line() = %q: want one line", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("Line() = %q, want it to contain %q", got, w)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(got, w) {
					t.Errorf("Line() = %q, want no %q", got, w)
				}
			}
		})
	}
}

// TestReportInPlace: on a terminal each line overwrites the previous one and the last is
// erased at the end; elsewhere each line ends with a newline.
func TestReportInPlace(t *testing.T) {
	for _, inPlace := range []bool{true, false} {
		Reset()
		Add("score", 1)
		var out bytes.Buffer
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() { Report(&out, 5*time.Millisecond, stop, inPlace); close(done) }()
		time.Sleep(30 * time.Millisecond)
		close(stop)
		<-done
		got := out.String()
		if inPlace && (strings.Contains(got, "\n") || !strings.HasSuffix(got, "\r\033[K") || !strings.Contains(got, "score 1")) {
			t.Errorf("in place: %q, want \\r-separated lines ending erased, no newline", got)
		}
		if !inPlace && (strings.Contains(got, "\r") || !strings.HasSuffix(got, "\n") || !strings.Contains(got, "score 1")) {
			t.Errorf("plain: %q, want newline-ended lines", got)
		}
	}
}

func TestAddJudge(t *testing.T) {
	Reset()
	AddJudge(2, 1, 0.0000015)
	AddJudge(1, 0, 0.5)
	got := Snapshot()
	if got[JudgeCalls] != 3 || got[JudgeCacheHits] != 1 || got[JudgeCostMicros] != 500002 {
		t.Errorf("Snapshot() = %v, want 3 calls, 1 hit, 500002 micro-dollars", got)
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
