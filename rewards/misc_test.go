package rewards

import (
	"bufio"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestDecodeMusegInput(t *testing.T) {
	tests := []struct {
		name   string
		row    string
		id     string
		wantOK bool
	}{
		{"good", `{"id": "a", "completion": "<answer>1-2</answer>", "solution": [[1, 2]], "task": "tvg"}`, "a", true},
		{"numeric id", `{"id": 7, "completion": "", "solution": [[1, 2]]}`, "7", true},
		{"no completion", `{"id": "b", "solution": [[1, 2]]}`, "b", false},
		{"null completion", `{"id": "b", "completion": null, "solution": [[1, 2]]}`, "b", false},
		{"completion not string", `{"id": "c", "completion": 3, "solution": [[1, 2]]}`, "c", false},
		{"no solution", `{"id": "d", "completion": "x"}`, "d", false},
		{"flat solution", `{"id": "e", "completion": "x", "solution": [1, 2]}`, "e", false},
		{"triple", `{"id": "f", "completion": "x", "solution": [[1, 2, 3]]}`, "f", false},
		{"not json", `{"id": `, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := DecodeMusegInput([]byte(tc.row))
			if (err == nil) != tc.wantOK || in.ID != tc.id {
				t.Fatalf("got %+v, %v; want id %q ok=%v", in, err, tc.id, tc.wantOK)
			}
			if err != nil && !errors.Is(err, ErrBadRow) {
				t.Errorf("err %v does not wrap ErrBadRow", err)
			}
		})
	}
}

func TestScoreStream(t *testing.T) {
	in := strings.Join([]string{
		`{"id": "ok", "completion": "<think>13.9 25.3</think><answer>13.90-25.30</answer>", "solution": [[13.9, 25.3]]}`,
		`{"id": "bad", "completion": 5, "solution": [[1, 2]]}`,
		``,
		`{"id": "rev", "completion": "<think>x</think><answer>1-2</answer>", "solution": [[38, 13]]}`,
		`{"id": "nan", "completion": "<think>1 inf</think><answer>1-inf</answer>", "solution": [[13.9, 25.3]]}`,
	}, "\n")
	plan, _ := PlanFor(1)
	var out strings.Builder
	st, err := ScoreStream(strings.NewReader(in), &out, plan, Compat)
	if err != nil {
		t.Fatal(err)
	}
	if st.Scored != 2 || st.Failed != 2 {
		t.Errorf("stats = %+v, want 2 scored, 2 failed", st)
	}
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	var lines []map[string]any
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 4 {
		t.Fatalf("%d output rows, want 4", len(lines))
	}
	if lines[0]["id"] != "ok" || lines[0]["mode"] != "compat" || lines[0]["phase"] != 1.0 || lines[0]["format"] != 1.0 {
		t.Errorf("row 1 = %v", lines[0])
	}
	if lines[1]["id"] != "bad" || lines[1]["line"] != 2.0 || lines[1]["error"] == nil {
		t.Errorf("row 2 = %v", lines[1])
	}
	// [1,2] vs [38,13]: union = -25 + 1 = -24, enclosure = 13 - 1 = 12,
	// (1 + 0 - (12+24)/12)/2 = -1: the reference pays a negative local reward.
	if lines[2]["id"] != "rev" || lines[2]["local_matching"] != -1.0 {
		t.Errorf("row 3 (compat scores a reversed gt) = %v", lines[2])
	}
	if lines[3]["id"] != "nan" || lines[3]["error"] == nil {
		t.Errorf("row 4 (NaN score) = %v", lines[3])
	}
	out.Reset()
	st, _ = ScoreStream(strings.NewReader(in), &out, plan, Strict)
	// strict: the reversed solution fails; "1-inf" scores format 0.2, matching 0
	if st.Scored != 2 || st.Failed != 2 || !strings.Contains(out.String(), "reversed") {
		t.Errorf("strict stats = %+v, want 2 scored, 2 failed (one reversed)", st)
	}
}

func TestGroupAdvantages(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want []float64
	}{
		{"three", []float64{1, 2, 3}, []float64{-1 / 1.0001, 0, 1 / 1.0001}},
		{"equal", []float64{2, 2}, []float64{0, 0}},
		{"group of one", []float64{5}, []float64{0}},
		{"empty", nil, []float64{}},
		// mean 0.5, unbiased std sqrt(4*0.25/3)
		{"four", []float64{0, 0, 1, 1}, []float64{-0.5 / (0.5773502691896257 + 1e-4), -0.5 / (0.5773502691896257 + 1e-4), 0.5 / (0.5773502691896257 + 1e-4), 0.5 / (0.5773502691896257 + 1e-4)}},
	}
	for _, tc := range tests {
		got := GroupAdvantages(tc.in)
		if len(got) != len(tc.want) {
			t.Fatalf("%s: len %d want %d", tc.name, len(got), len(tc.want))
		}
		for i := range got {
			if !near(got[i], tc.want[i], 1e-12) {
				t.Errorf("%s: [%d] = %v, want %v", tc.name, i, got[i], tc.want[i])
			}
		}
	}
}

func TestPeers(t *testing.T) {
	iou, err := TimeZeroIoU([2]float64{0, 10}, [2]float64{5, 15})
	if err != nil || !near(iou, 5.0/15, 1e-12) {
		t.Errorf("TimeZeroIoU = %v, %v; want 1/3", iou, err)
	}
	r1, err := TimeR1IoU([2]float64{0, 10}, [2]float64{5, 15}, 100)
	if err != nil || !near(r1, 5.0/15*0.95*0.95, 1e-12) {
		t.Errorf("TimeR1IoU = %v, %v", r1, err)
	}
	if v, _ := TimeZeroIoU([2]float64{0, 1}, [2]float64{2, 3}); v != 0 {
		t.Errorf("disjoint IoU = %v", v)
	}
	if _, err := TimeZeroIoU([2]float64{3, 1}, [2]float64{2, 3}); !errors.Is(err, ErrBadSegment) {
		t.Errorf("reversed: err = %v", err)
	}
	if _, err := TimeR1IoU([2]float64{0, 1}, [2]float64{0, 1}, 0); !errors.Is(err, ErrBadSegment) {
		t.Errorf("zero duration: err = %v", err)
	}
}

func TestParseVerdict(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Verdict
	}{
		{"A", "A is better. [[A]]", VerdictA},
		{"last wins", "Format: [[A]] if A, [[B]] if B. Verdict: [[B]]", VerdictB},
		{"tie last", "[[A]] ... final [[C]]", VerdictTie},
		{"none", "Answer A is clearly better.", VerdictUnknown},
		{"empty", "", VerdictUnknown},
		{"lower case", "[[a]]", VerdictUnknown},
	}
	for _, tc := range tests {
		if got := ParseVerdict(tc.in); got != tc.want {
			t.Errorf("%s: ParseVerdict = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestStrategies(t *testing.T) {
	A, B, C, U := VerdictA, VerdictB, VerdictTie, VerdictUnknown
	tests := []struct {
		name     string
		s        Strategy
		verdicts []Verdict
		want     Outcome
	}{
		{"second: B wins", PolicySecond, []Verdict{B}, Win},
		{"second: A loses", PolicySecond, []Verdict{A}, Loss},
		{"second: C ties", PolicySecond, []Verdict{C}, Tie},
		{"second: unknown", PolicySecond, []Verdict{U}, OutcomeUnknown},
		{"first: A wins", PolicyFirst, []Verdict{A}, Win},
		{"both: agree win", BothOrders, []Verdict{A, B}, Win},
		{"both: agree loss", BothOrders, []Verdict{B, A}, Loss},
		{"both: position bias is a tie", BothOrders, []Verdict{A, A}, Tie},
		{"both: win and tie is a tie", BothOrders, []Verdict{A, C}, Tie},
		{"both: unknown first", BothOrders, []Verdict{U, B}, OutcomeUnknown},
		{"both: unknown second", BothOrders, []Verdict{A, U}, OutcomeUnknown},
	}
	for _, tc := range tests {
		got, err := tc.s.Combine(tc.verdicts)
		if err != nil || got != tc.want {
			t.Errorf("%s: %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	if calls := BothOrders.Calls(); len(calls) != 2 || calls[0] != PolicyAsA || calls[1] != PolicyAsB {
		t.Errorf("BothOrders.Calls = %v", calls)
	}
	if calls := PolicySecond.Calls(); len(calls) != 1 || calls[0] != PolicyAsB {
		t.Errorf("PolicySecond.Calls = %v", calls)
	}
	if _, err := BothOrders.Combine([]Verdict{A}); !errors.Is(err, ErrVerdictCount) {
		t.Errorf("short verdicts: err = %v", err)
	}
	for _, tc := range []struct {
		r    PairwiseRewards
		o    Outcome
		want float64
	}{{PaperRewards, Win, 1}, {PaperRewards, Tie, 0.5}, {PaperRewards, Loss, 0}, {ReleasedRewards, Win, 1.1}, {ReleasedRewards, Tie, 0.55}, {ReleasedRewards, Loss, 0.1}} {
		if got, err := tc.r.Reward(tc.o); err != nil || got != tc.want {
			t.Errorf("%+v.Reward(%v) = %v, %v", tc.r, tc.o, got, err)
		}
	}
	if _, err := ReleasedRewards.Reward(OutcomeUnknown); !errors.Is(err, ErrJudgeFailed) {
		t.Errorf("unknown outcome reward err = %v", err)
	}
}
