package annotations

import (
	"errors"
	"testing"
)

// wantParse is what a parser test case expects: a filter with a reason, a malformed-input
// error, or a sample with these fields.
type wantParse struct {
	filter    string // a Filtered reason, or "" for none
	malformed bool
	task      Task
	query     string
	format    Format
	solution  [][2]float64
	duration  float64 // < 0: unknown
	fixes     int
}

// checkParse checks a parser's result against w and reports whether the sample itself
// should be checked further (false when a filter or an error was expected and seen).
func checkParse(t *testing.T, s Sample, err error, w wantParse) bool {
	t.Helper()
	switch {
	case w.filter != "":
		if f, ok := IsFiltered(err); !ok || f.Reason != w.filter {
			t.Fatalf("err = %v, want filter %s", err, w.filter)
		}
		return false
	case w.malformed:
		if !errors.Is(err, ErrMalformed) {
			t.Fatalf("err = %v, want ErrMalformed", err)
		}
		return false
	case err != nil:
		t.Fatalf("unexpected error: %v", err)
	}
	if s.Task != w.task || s.Query != w.query || s.Format != w.format {
		t.Errorf("task %q query %q format %q, want %q %q %q", s.Task, s.Query, s.Format, w.task, w.query, w.format)
	}
	if len(s.Solution) != len(w.solution) {
		t.Fatalf("solution = %v, want %v", s.Solution, w.solution)
	}
	for i := range w.solution {
		if s.Solution[i] != w.solution[i] {
			t.Errorf("solution[%d] = %v, want %v", i, s.Solution[i], w.solution[i])
		}
	}
	if w.duration < 0 && s.Duration != nil {
		t.Errorf("duration = %v, want unknown", *s.Duration)
	}
	if w.duration >= 0 && (s.Duration == nil || *s.Duration != w.duration) {
		t.Errorf("duration = %v, want %v", s.Duration, w.duration)
	}
	if len(s.Fixes) != w.fixes {
		t.Errorf("fixes = %v, want %d", s.Fixes, w.fixes)
	}
	return true
}
