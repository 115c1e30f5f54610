package curriculum

import (
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/rewards"
)

// group is the synthetic rollouts of one sample: rows in the branch's own shape.
func writingGroup(id string, rs ...float64) []string {
	var rows []string
	for i, r := range rs {
		rows = append(rows, fmt.Sprintf(`{"id": "%s-r%d", "sample_id": "%s", "outcome": "x", "reward": %g}`, id, i, id, r))
	}
	return rows
}

func videoGroup(id string, phase int, totals ...float64) []string {
	var rows []string
	for i, t := range totals {
		rows = append(rows, fmt.Sprintf(`{"id": "%s-r%d", "sample_id": "%s", "phase": %d, "mode": "compat", "total": %g}`, id, i, id, phase, t))
	}
	return rows
}

// TestJudgeSyntheticGroups: groups with known rewards in both branches, normalised,
// combined and judged by the band 0.3:0.7 with zero variance dropped.
func TestJudgeSyntheticGroups(t *testing.T) {
	rule := Rule{Band: Band{Lo: 0.3, Hi: 0.7}, DropZeroVariance: true, MinRollouts: 2}
	tests := []struct {
		name     string
		scale    rewards.PairwiseRewards
		rows     []string
		wantMean float64
		wantStd  float64
		want     string
	}{
		{"writing all solved", rewards.PaperRewards, writingGroup("a", 1, 1, 1, 1), 1, 0, ReasonZeroVariance},
		{"writing all failed", rewards.PaperRewards, writingGroup("b", 0, 0, 0, 0), 0, 0, ReasonZeroVariance},
		{"writing in band", rewards.PaperRewards, writingGroup("c", 1, 0, 0.5, 0.5), 0.5, 0.35355339059327373, ""},
		{"writing below", rewards.PaperRewards, writingGroup("d", 1, 0, 0, 0), 0.25, 0.4330127018922193, ReasonTooHard},
		{"writing above", rewards.PaperRewards, writingGroup("e", 1, 1, 1, 0), 0.75, 0.4330127018922193, ReasonTooEasy},
		{"writing released values", rewards.ReleasedRewards, writingGroup("f", 1.1, 0.1), 0.5, 0.5, ""},
		{"writing one rollout", rewards.PaperRewards, writingGroup("g", 1), 1, 0, ReasonTooFewRollouts},
		{"video all solved", rewards.PaperRewards, videoGroup("h", 1, 3, 3), 1, 0, ReasonZeroVariance},
		{"video all failed", rewards.PaperRewards, videoGroup("i", 2, 0, 0, 0), 0, 0, ReasonZeroVariance},
		{"video in band", rewards.PaperRewards, videoGroup("j", 1, 3, 0), 0.5, 0.5, ""},
		{"video below", rewards.PaperRewards, videoGroup("k", 2, 0.6, 0, 0), 1.0 / 15, 0.09428090415820634, ReasonTooHard},
		{"video above", rewards.PaperRewards, videoGroup("l", 1, 3, 2.4), 0.9, 0.1, ReasonTooEasy},
		{"band edge is kept", rewards.PaperRewards, writingGroup("m", 1, 0.5, 0, 0, 0), 0.3, 0.4, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := Scale{Writing: tc.scale}
			var st Stats
			for _, row := range tc.rows {
				r, err := sc.ParseRollout([]byte(row))
				if err != nil {
					t.Fatal(err)
				}
				st = st.Add(r.Reward)
			}
			if d := st.Mean() - tc.wantMean; d > 1e-12 || d < -1e-12 {
				t.Errorf("mean = %v, want %v", st.Mean(), tc.wantMean)
			}
			if d := st.Std() - tc.wantStd; d > 1e-12 || d < -1e-12 {
				t.Errorf("std = %v, want %v", st.Std(), tc.wantStd)
			}
			if got := rule.Judge(st); got != tc.want {
				t.Errorf("Judge = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestJudgeDefaults(t *testing.T) {
	// The default rule (band 0:1, zero variance dropped, one rollout enough) drops only
	// zero variance; with zero variance kept, nothing is dropped.
	all := Stats{}.Add(1).Add(1)
	mixed := Stats{}.Add(1).Add(0)
	tests := []struct {
		name string
		rule Rule
		st   Stats
		want string
	}{
		{"default drops all solved", Rule{Band: Band{0, 1}, DropZeroVariance: true, MinRollouts: 1}, all, ReasonZeroVariance},
		{"default keeps mixed", Rule{Band: Band{0, 1}, DropZeroVariance: true, MinRollouts: 1}, mixed, ""},
		{"zero variance kept when off", Rule{Band: Band{0, 1}, MinRollouts: 1}, all, ""},
		{"band applies when zero variance is off", Rule{Band: Band{0, 0.9}, MinRollouts: 1}, all, ReasonTooEasy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rule.Judge(tc.st); got != tc.want {
				t.Errorf("Judge = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseRolloutErrors(t *testing.T) {
	sc := Scale{Writing: rewards.PaperRewards}
	tests := []struct{ name, row, want string }{
		{"no sample id", `{"reward": 1}`, "no sample_id"},
		{"neither branch", `{"sample_id": "s"}`, "neither"},
		{"video without phase", `{"sample_id": "s", "total": 1}`, "without its phase"},
		{"bad phase", `{"sample_id": "s", "total": 1, "phase": 3}`, "phase 3"},
		{"video above max", `{"sample_id": "s", "total": 3.5, "phase": 1}`, "outside [0, 3]"},
		{"writing above win", `{"sample_id": "s", "reward": 1.1}`, "outside [0, 1]"},
		{"not json", `{"sample_id": `, "bad rollout"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sc.ParseRollout([]byte(tc.row))
			if !errors.Is(err, ErrBadRollout) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrBadRollout mentioning %q", err, tc.want)
			}
		})
	}
}

func TestParseBand(t *testing.T) {
	tests := []struct {
		in   string
		want Band
		ok   bool
	}{
		{"0:1", Band{0, 1}, true}, {"0.2:0.8", Band{0.2, 0.8}, true}, {"0.5:0.5", Band{0.5, 0.5}, true},
		{"0.8:0.2", Band{}, false}, {"-0.1:1", Band{}, false}, {"0:1.5", Band{}, false}, {"0.5", Band{}, false}, {"a:b", Band{}, false},
	}
	for _, tc := range tests {
		got, err := ParseBand(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseBand(%q) = %v, %v; want %v ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func rats(t *testing.T, ws ...string) []*big.Rat {
	var out []*big.Rat
	for _, w := range ws {
		r, err := ParseWeight(w)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// TestQuotas: exact shares, and ties of equal remainders going to the earlier source.
func TestQuotas(t *testing.T) {
	tests := []struct {
		name    string
		weights []string
		total   int64
		want    []int64
	}{
		{"issue example", []string{"0.7", "0.3"}, 60, []int64{42, 18}},
		{"decimal weights that floats round", []string{"0.1", "0.2"}, 3, []int64{1, 2}},
		{"three-way tie goes to earlier", []string{"1", "1", "1"}, 4, []int64{2, 1, 1}},
		{"two-way tie, third", []string{"1", "1", "1"}, 5, []int64{2, 2, 1}},
		{"tie between the later two", []string{"2", "1", "1"}, 2, []int64{1, 1, 0}},
		{"largest remainder beats order", []string{"1", "2"}, 1, []int64{0, 1}},
		{"ratios", []string{"1/3", "2/3"}, 10, []int64{3, 7}},
		{"zero total", []string{"1", "1"}, 0, []int64{0, 0}},
		{"weights need not sum to one", []string{"7", "3"}, 60, []int64{42, 18}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Quotas(rats(t, tc.weights...), tc.total)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Quotas(%v, %d) = %v, want %v", tc.weights, tc.total, got, tc.want)
			}
		})
	}
	for _, bad := range []string{"0", "-1", "x", ""} {
		if _, err := ParseWeight(bad); err == nil {
			t.Errorf("ParseWeight(%q) accepted", bad)
		}
	}
}

func TestParseSource(t *testing.T) {
	tests := []struct {
		in   string
		want Source
		ok   bool
	}{
		{"w=a.jsonl:0.7", Source{Name: "w", Paths: []string{"a.jsonl"}, Weight: "0.7"}, true},
		{"v=gs://b/x/*.jsonl,c.jsonl:3", Source{Name: "v", Paths: []string{"gs://b/x/*.jsonl", "c.jsonl"}, Weight: "3"}, true},
		{"a.jsonl:0.7", Source{}, false},
		{"w=a.jsonl", Source{}, false},
		{"w=:1", Source{}, false},
		{"w x=a:1", Source{}, false},
		{"w=a:0", Source{}, false},
	}
	for _, tc := range tests {
		got, err := ParseSource(tc.in)
		if (err == nil) != tc.ok || (tc.ok && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("ParseSource(%q) = %+v, %v; want %+v ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
	if _, err := SourceQuotas([]Source{{Name: "a", Weight: "1"}, {Name: "a", Weight: "1"}}, 2); err == nil {
		t.Error("two sources named a accepted")
	}
}

// TestDraw: determinism per seed, difference across seeds, distinct indices without
// replacement, refusal of an unfillable quota naming the source, repeats with replacement.
func TestDraw(t *testing.T) {
	a, _ := Draw(1, "w", 1000, 50, false)
	b, _ := Draw(1, "w", 1000, 50, false)
	c, _ := Draw(2, "w", 1000, 50, false)
	d, _ := Draw(1, "v", 1000, 50, false)
	if !slices.Equal(a, b) {
		t.Error("same seed drew differently")
	}
	if slices.Equal(a, c) || slices.Equal(a, d) {
		t.Error("another seed or source drew the same indices")
	}
	if len(slices.Compact(slices.Clone(a))) != 50 || a[0] < 0 || a[49] >= 1000 || !slices.IsSorted(a) {
		t.Errorf("not 50 distinct sorted indices in [0, 1000): %v", a)
	}
	all, _ := Draw(3, "w", 7, 7, false)
	if !slices.Equal(all, []int64{0, 1, 2, 3, 4, 5, 6}) {
		t.Errorf("a quota equal to the source drew %v", all)
	}
	_, err := Draw(1, "video", 13, 20, false)
	var qe *QuotaError
	if !errors.As(err, &qe) || !strings.Contains(err.Error(), `source "video" has 13 rows, fewer than its quota of 20`) || !strings.HasPrefix(err.Error(), UnfillableQuota) {
		t.Errorf("unfillable quota: err = %v", err)
	}
	rep, err := Draw(1, "video", 13, 40, true)
	if err != nil || len(rep) != 40 || len(slices.Compact(slices.Clone(rep))) > 13 {
		t.Errorf("with replacement: %v, %v", rep, err)
	}
	if _, err := Draw(1, "empty", 0, 1, true); !errors.As(err, &qe) {
		t.Errorf("empty source with replacement: err = %v", err)
	}
}

// TestDrawUniform: over many seeds, every row of a small source is drawn about equally
// often (1 of 4: each within 15% of 1000 in 4000 draws).
func TestDrawUniform(t *testing.T) {
	for _, replace := range []bool{false, true} {
		counts := make([]int, 4)
		for seed := range int64(4000) {
			idx, err := Draw(seed, "s", 4, 1, replace)
			if err != nil {
				t.Fatal(err)
			}
			counts[idx[0]]++
		}
		for i, n := range counts {
			if n < 850 || n > 1150 {
				t.Errorf("replace=%v: row %d drawn %d times of 4000, want about 1000", replace, i, n)
			}
		}
	}
}

func TestLocate(t *testing.T) {
	blocks := []Block{{File: "a", Index: 0, Rows: 3}, {File: "a", Index: 1, Rows: 0}, {File: "b", Index: 0, Rows: 2}}
	got := Locate(blocks, []int64{0, 2, 2, 3, 4})
	want := [][]int64{{0, 2, 2}, nil, {0, 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Locate = %v, want %v", got, want)
	}
}

func TestRewrite(t *testing.T) {
	front := []Field{{"mix_key", "k"}, {"mix_source", "w"}}
	back := []Field{{"difficulty", map[string]int{"n": 2}}}
	tests := []struct {
		name, row   string
		front, back []Field
		want        string
		bad         bool
	}{
		{"front", `{"id": "a", "x": [1, 2]}`, front, nil, `{"mix_key":"k","mix_source":"w","id": "a", "x": [1, 2]}`, false},
		{"back keeps the row's bytes", `{"id": "a", "p": "x"}`, nil, back, `{"id": "a", "p": "x","difficulty":{"n":2}}`, false},
		{"replaces an old key", `{"difficulty": {"n": 9}, "id": "a"}`, nil, back, `{ "id": "a","difficulty":{"n":2}}`, false},
		{"empty object", `{}`, front, nil, `{"mix_key":"k","mix_source":"w"}`, false},
		{"nested keys untouched", ` {"a": {"mix_key": 1}} `, front, nil, `{"mix_key":"k","mix_source":"w","a": {"mix_key": 1}}`, false},
		{"array", `[1]`, front, nil, "", true},
		{"trailing data", `{"a": 1} {"b": 2}`, front, nil, "", true},
		{"broken", `{"a": }`, front, nil, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Rewrite(tc.row, tc.front, tc.back)
			if tc.bad {
				if !errors.Is(err, ErrNotObject) {
					t.Errorf("err = %v, want ErrNotObject", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("Rewrite = %s, %v; want %s", got, err, tc.want)
			}
		})
	}
	if err := CheckRow(`{"mix_source": "x"}`); err == nil {
		t.Error("a row with mix_source passed CheckRow")
	}
}
