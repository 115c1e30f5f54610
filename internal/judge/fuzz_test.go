package judge

import "testing"

// FuzzParsePointwise checks that any reply either parses to a score from 1 to 10 or is an
// ErrBadReply, never a panic or an out-of-range score.
func FuzzParsePointwise(f *testing.F) {
	for _, s := range []string{`{"score": 7, "reason": "ok"}`, "```json\n{\"score\": 10}\n```", `{"score": 11}`, `{"score": "7"}`, `text {"score": 3} more`, ``, `{`, `{"a":{"a":{"a":{"a":`, `{ x {"score": 2} }`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, reply string) {
		score, _, err := ParsePointwise(reply)
		if err == nil && (score < 1 || score > 10) {
			t.Errorf("ParsePointwise(%q) = %d with no error", reply, score)
		}
		if err != nil && score != 0 {
			t.Errorf("ParsePointwise(%q) = %d and error %v", reply, score, err)
		}
	})
}
