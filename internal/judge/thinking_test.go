package judge

import (
	"context"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/internal/judge/judgetest"
	"github.com/rlcurate/rlcurate/rewards"
)

func TestStripThinking(t *testing.T) {
	tests := []struct {
		name, in, answer, note string
	}{
		{"no tags: whole, unchanged", "  plain answer\n", "  plain answer\n", ""},
		{"empty", "", "", ""},
		{"thinking then answer", "<think>a</think>\n\nanswer", "answer", ""},
		{"only the closing tag (template opened it)", "reasoning here</think> the answer ", "the answer", ""},
		{"last closing tag wins", "<think>a</think>x</think>\n final\n", "final", ""},
		{"nothing after the thinking", "<think>a</think>  \n", "", ""},
		{"unclosed", "<think>only thinking, cut off by length", "", NoteUnclosedThinking},
		{"answer, then thinking never closed", "<think>a</think>draft <think>more", "", NoteUnclosedThinking},
		{"text before an unclosed tag", "An answer <think>and then", "", NoteUnclosedThinking},
		{"upper case is not a tag", "<THINK>x</THINK> y", "<THINK>x</THINK> y", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			answer, note := StripThinking(tc.in)
			if answer != tc.answer || note != tc.note {
				t.Errorf("StripThinking(%q) = %q, %q; want %q, %q", tc.in, answer, note, tc.answer, tc.note)
			}
		})
	}
}

// TestLabelPairsJudgesTheAnswer: a loopback judge that prefers whichever answer says
// "WIN-ME" is swayed by thinking only when the thinking is kept; an unclosed thinking is
// judged as an empty answer and noted; a completion without tags is judged whole.
func TestLabelPairsJudgesTheAnswer(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	srv.Handle(func(judgetest.Request) judgetest.Reply {
		return judgetest.Reply{Content: "The reference is better. [[A]]"}
	})
	srv.When("WIN-ME", judgetest.Reply{Content: "B says WIN-ME, so B. [[B]]"})
	c, err := NewClient(ClientConfig{BaseURL: srv.URL(), Model: "judge", APIKey: "k", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		completion string
		keep       bool
		out        rewards.Outcome
		note       string
		sent       string // must be in the judge's request
		hidden     string // must not be in the judge's request ("" for none)
	}{
		{"thinking stripped", "<think>WIN-ME, I should say</think>\nA plain essay.", false, rewards.Loss, "", "A plain essay.", "WIN-ME"},
		{"thinking kept", "<think>WIN-ME, I should say</think>\nA plain essay.", true, rewards.Win, "", "WIN-ME, I should say", ""},
		{"unclosed thinking", "<think>WIN-ME, still thinking", false, rewards.Loss, NoteUnclosedThinking, "Write an essay.", "WIN-ME"},
		{"no tags, whole", "A plain essay that says WIN-ME.", false, rewards.Win, "", "A plain essay that says WIN-ME.", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(srv.Received())
			labels, err := LabelPairs(context.Background(), c, rewards.PolicySecond,
				[]Pair{{Prompt: "Write an essay.", Policy: tc.completion, Reference: "A reference essay.", KeepThinking: tc.keep}}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if l := labels[0]; l.Outcome != tc.out || l.AnswerNote != tc.note {
				t.Errorf("label %+v, want outcome %v, note %q", l, tc.out, tc.note)
			}
			got := srv.Received()[before:]
			if len(got) != 1 {
				t.Fatalf("judge saw %d requests, want 1", len(got))
			}
			if u := got[0].User(); !strings.Contains(u, tc.sent) || (tc.hidden != "" && strings.Contains(u, tc.hidden)) {
				t.Errorf("judge saw %q; want %q in it and not %q", u, tc.sent, tc.hidden)
			}
		})
	}
}
