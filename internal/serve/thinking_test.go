package serve

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/store"
)

// TestWritingJudgesTheAnswer: the loopback judge prefers the answer that says "GOOD"
// (fakeJudge); s2's references say neither, so a plain answer ties. By default the judge
// sees only the text after the last </think>, so praise in the thinking does not win, an
// unclosed thinking is an empty answer (noted in answer_notes and writing/unclosed_think)
// and a completion without tags is judged whole; with KeepThinking the thinking sways it.
func TestWritingJudgesTheAnswer(t *testing.T) {
	const val = `{"branch":"writing","sample_id":"s2","validation":true}` // moves nothing
	req := Request{
		Query:  []string{"<think>GOOD, I must say</think>\nA plain essay.", "<think>GOOD essay, still thinking", "A GOOD essay without tags."},
		Labels: []string{val, val, val},
	}
	tests := []struct {
		name     string
		keep     bool
		win      []float64
		notes    []string
		unclosed []float64
		hidden   []string // never in a judge request
	}{
		{"strip (default)", false, []float64{0, 0, 1}, []string{"", judge.NoteUnclosedThinking, ""}, []float64{0, 1, 0}, []string{"I must say", "still thinking"}},
		{"keep thinking", true, []float64{1, 1, 1}, nil, []float64{0, 0, 0}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, client := fakeJudge(t)
			ts := writingServer(t, &store.File{Path: filepath.Join(t.TempDir(), "schedule.json")}, client, func(c *Config) { c.KeepThinking = tc.keep })
			status, resp, bad := post(t, ts.URL, req)
			if status != 200 {
				t.Fatalf("status %d: %s", status, bad.Error)
			}
			if w := resp.ExtraLogs["writing/win"]; !reflect.DeepEqual(w, tc.win) {
				t.Errorf("wins %v, want %v", w, tc.win)
			}
			if !reflect.DeepEqual(resp.AnswerNotes, tc.notes) || !reflect.DeepEqual(resp.ExtraLogs["writing/unclosed_think"], tc.unclosed) {
				t.Errorf("answer notes %q, unclosed %v; want %q, %v", resp.AnswerNotes, resp.ExtraLogs["writing/unclosed_think"], tc.notes, tc.unclosed)
			}
			for _, r := range srv.Received() {
				for _, h := range tc.hidden {
					if strings.Contains(r.User(), h) {
						t.Errorf("the judge saw the thinking %q", h)
					}
				}
			}
		})
	}
}
