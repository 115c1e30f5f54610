package judge

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rlcurate/rlcurate/rewards"
)

// pairJudge answers every pairwise request with reply(a, b) and counts the calls.
type pairJudge struct {
	reply func(a, b string) (string, error)
	calls atomic.Int64
}

func (p *pairJudge) Pointwise(context.Context, PointwiseRequest) (PointwiseResult, error) {
	return PointwiseResult{}, errors.New("not used")
}

func (p *pairJudge) Pairwise(_ context.Context, r PairwiseRequest) (PairwiseResult, error) {
	p.calls.Add(1)
	text, err := p.reply(r.A, r.B)
	return PairwiseResult{Text: text}, err
}

// prefers says [[A]] or [[B]] for the answer starting with "good", [[C]] for neither.
func prefers(a, b string) (string, error) {
	switch {
	case strings.HasPrefix(a, "good"):
		return "A wins [[A]]", nil
	case strings.HasPrefix(b, "good"):
		return "[[A]] is quoted; B wins [[B]]", nil
	}
	return "[[C]]", nil
}

func TestLabelPair(t *testing.T) {
	constant := func(text string) func(a, b string) (string, error) {
		return func(a, b string) (string, error) { return text, nil }
	}
	tests := []struct {
		name     string
		order    rewards.Strategy
		policy   string
		reply    func(a, b string) (string, error)
		out      rewards.Outcome
		verdicts []rewards.Verdict
		wantErr  string
	}{
		{"policy second wins as B", rewards.PolicySecond, "good", prefers, rewards.Win, []rewards.Verdict{rewards.VerdictB}, ""},
		{"policy first wins as A", rewards.PolicyFirst, "good", prefers, rewards.Win, []rewards.Verdict{rewards.VerdictA}, ""},
		{"policy second loses", rewards.PolicySecond, "bad", constant("[[A]]"), rewards.Loss, []rewards.Verdict{rewards.VerdictA}, ""},
		{"both agree", rewards.BothOrders, "good", prefers, rewards.Win, []rewards.Verdict{rewards.VerdictA, rewards.VerdictB}, ""},
		{"both disagree is a tie", rewards.BothOrders, "bad", constant("[[A]]"), rewards.Tie, []rewards.Verdict{rewards.VerdictA, rewards.VerdictA}, ""},
		{"tie", rewards.PolicySecond, "bad", prefers, rewards.Tie, []rewards.Verdict{rewards.VerdictTie}, ""},
		{"no verdict fails, never a loss", rewards.PolicySecond, "bad", constant("A is better"), 0, nil, "no verdict"},
		{"no verdict in one order fails", rewards.BothOrders, "good", func(a, b string) (string, error) {
			if strings.HasPrefix(a, "good") {
				return "undecided", nil
			}
			return "[[B]]", nil
		}, 0, nil, "no verdict"},
		{"call error fails", rewards.PolicySecond, "good", func(a, b string) (string, error) { return "", errors.New("boom") }, 0, nil, "boom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := &pairJudge{reply: tc.reply}
			p := Pair{Prompt: "p", Policy: tc.policy, Reference: "reference"}
			l, err := LabelPair(context.Background(), j, tc.order, p)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || l.Outcome != tc.out || !slices.Equal(l.Verdicts, tc.verdicts) {
				t.Errorf("label %+v, %v; want outcome %v, verdicts %v", l, err, tc.out, tc.verdicts)
			}
			if n := j.calls.Load(); n != int64(len(tc.order.Calls())) {
				t.Errorf("%d judge calls, want %d", n, len(tc.order.Calls()))
			}
		})
	}
}

func TestLabelPairs(t *testing.T) {
	pairs := []Pair{{Policy: "good"}, {Policy: "bad"}, {Policy: "so-so"}}
	tests := []struct {
		name    string
		reply   func(a, b string) (string, error)
		want    []rewards.Outcome
		failed  int
		wantErr string
	}{
		{"all labelled", prefers, []rewards.Outcome{rewards.Win, rewards.Tie, rewards.Tie}, 0, ""},
		{"one failure labels nothing", func(a, b string) (string, error) {
			if a == "bad" || b == "bad" {
				return "", errors.New("overloaded")
			}
			return prefers(a, b)
		}, nil, 2, "2 of 6 judge calls failed (first: judge pairwise (order 0): overloaded)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := &pairJudge{reply: tc.reply}
			labels, err := LabelPairs(context.Background(), j, rewards.BothOrders, pairs, 2)
			if n := j.calls.Load(); n != 6 {
				t.Errorf("%d judge calls, want 6: every call runs", n)
			}
			if tc.wantErr != "" {
				var ce *CallsError
				if !errors.As(err, &ce) || ce.Failed != tc.failed || ce.Calls != 6 || err.Error() != tc.wantErr || labels != nil {
					t.Fatalf("labels %v, err = %v; want a CallsError %q", labels, err, tc.wantErr)
				}
				return
			}
			if err != nil || len(labels) != len(tc.want) {
				t.Fatalf("labels %v, %v", labels, err)
			}
			for k, l := range labels {
				if l.Outcome != tc.want[k] {
					t.Errorf("pair %d: outcome %v, want %v", k, l.Outcome, tc.want[k])
				}
			}
		})
	}
}
