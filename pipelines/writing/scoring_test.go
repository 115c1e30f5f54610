package writing

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/rewards"
)

// fakeJudge scores a response by a table and answers pairwise with a fixed text.
type fakeJudge struct {
	mu     sync.Mutex
	scores map[string]int // response+"|"+criterion -> score
	fail   string         // a response that fails
	pair   func(a, b string) string
	calls  int
}

func (f *fakeJudge) Pointwise(_ context.Context, r judge.PointwiseRequest) (judge.PointwiseResult, error) {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	if r.Response == f.fail {
		return judge.PointwiseResult{}, errors.New("boom")
	}
	return judge.PointwiseResult{Score: f.scores[r.Response+"|"+r.Criterion]}, nil
}

func (f *fakeJudge) Pairwise(_ context.Context, r judge.PairwiseRequest) (judge.PairwiseResult, error) {
	return judge.PairwiseResult{Text: f.pair(r.A, r.B)}, nil
}

func TestScoreSample(t *testing.T) {
	s := Sample{ID: "a", Prompt: "p", Criteria: []string{"c1", "c2"}, References: []string{"r0", "r1"}, PolicyResponse: "pol"}
	f := &fakeJudge{scores: map[string]int{"pol|c1": 3, "pol|c2": 4, "r0|c1": 8, "r0|c2": 9, "r1|c1": 5, "r1|c2": 5}}
	sc, err := ScoreSample(context.Background(), f, s, 4)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Policy != 3.5 || sc.References[0] != 8.5 || sc.References[1] != 5 || sc.Margin() != 5 || f.calls != 6 {
		t.Errorf("scores %+v after %d calls, want policy 3.5, refs [8.5 5], 6 calls", sc, f.calls)
	}
	f.fail = "r1"
	_, err = ScoreSample(context.Background(), f, s, 4)
	var ce *CallError
	if !errors.As(err, &ce) || ce.Response != "reference 1" {
		t.Errorf("err = %v, want a CallError naming reference 1", err)
	}
}

func TestSelectedRow(t *testing.T) {
	row := `{"id":"a","prompt":"p","references":["mid","low","high"],"policy_response":"x","source":"lw"}`
	out, err := SelectedRow([]byte(row), Scores{Policy: 2, References: []float64{5, 3, 9}})
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	refs, _ := json.Marshal(got["references"])
	order, _ := json.Marshal(got["reference_order"])
	if string(refs) != `["low","mid","high"]` || string(order) != `[1,0,2]` || got["margin"] != 7.0 || got["source"] != "lw" {
		t.Errorf("selected row = %s", out)
	}
}

func TestLabelRollout(t *testing.T) {
	s := Sample{ID: "a", Prompt: "p", References: []string{"weak", "strong"}}
	tests := []struct {
		name    string
		order   string
		text    func(a, b string) string
		out     string
		wantErr string
	}{
		{"policy second wins as B", "policy-second", func(a, b string) string { return "[[A]] first... [[B]]" }, "win", ""},
		{"policy first wins as A", "policy-first", func(a, b string) string { return "[[A]]" }, "win", ""},
		{"both agree", "both", func(a, b string) string {
			if strings.HasPrefix(a, "mine") {
				return "[[A]]"
			}
			return "[[B]]"
		}, "win", ""},
		{"both disagree is a tie", "both", func(a, b string) string { return "[[A]]" }, "tie", ""},
		{"no verdict fails", "policy-second", func(a, b string) string { return "A is better" }, "", "no verdict"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			order, _ := rewards.ParseStrategy(tc.order)
			f := &fakeJudge{pair: tc.text}
			l, err := LabelRollout(context.Background(), f, Judgement{Sample: s, Reference: 1, Order: order, OrderName: tc.order, Pay: mustPay(t)}, Rollout{ID: "r", SampleID: "a", Response: "mine"})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || l.Outcome != tc.out || l.ReferenceIndex != 1 || l.Rungs != 2 {
				t.Errorf("label %+v, %v; want outcome %s at reference 1", l, err, tc.out)
			}
		})
	}
}

func mustPay(t *testing.T) rewards.PairwiseRewards {
	t.Helper()
	p, err := rewards.ParsePairwiseRewards("paper")
	if err != nil {
		t.Fatal(err)
	}
	return p
}
