package writing

import "testing"

// FuzzParseSample checks that any row either parses to a sample with an id and at least
// one reference, or is rejected with an error; never a panic.
func FuzzParseSample(f *testing.F) {
	for _, s := range []string{`{"id": "a", "prompt": "p", "criteria": null, "references": ["r"], "policy_response": "x"}`, `{"id": 1}`, `{"references": "x"}`, `{"id": "a", "criteria": 3}`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, row []byte) {
		s, err := ParseSample(row)
		if err == nil && (s.ID == "" || len(s.References) == 0) {
			t.Errorf("ParseSample(%q) = %+v with no error", row, s)
		}
	})
}
