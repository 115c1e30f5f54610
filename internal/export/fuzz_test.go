package export

import (
	"errors"
	"testing"
)

// FuzzParseLabel checks that a label either parses and prints back to a label that parses
// the same way, or fails with ErrBadLabel.
func FuzzParseLabel(f *testing.F) {
	for _, s := range []string{`{"branch": "museg", "solution": [[1, 2]], "phase": 1, "mode": "compat"}`, `{"branch": "writing", "sample_id": "w1"}`, `{"branch": "x"}`, `[]`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLabel(s)
		if err != nil {
			if !errors.Is(err, ErrBadLabel) {
				t.Errorf("ParseLabel(%q) error %v does not wrap ErrBadLabel", s, err)
			}
			return
		}
		again, err := ParseLabel(l.String())
		if err != nil || again.String() != l.String() {
			t.Errorf("ParseLabel(%q) = %q, which parses back to %q, %v", s, l.String(), again.String(), err)
		}
	})
}
