package rewards

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func score(t *testing.T, c string, gt [][2]float64, phase int, mode Mode) (MusegScore, error) {
	t.Helper()
	plan, err := PlanFor(phase)
	if err != nil {
		t.Fatal(err)
	}
	return Museg(MusegInput{ID: "x", Completion: c, Solution: gt}, plan, mode)
}

// Hand-computed compat scores for odd float forms in answers.
func TestMusegOddFloatsCompat(t *testing.T) {
	gt := [][2]float64{{10, 20}}
	// perfect [10, 20]: p = r = q, rG = 2q^2/(2q + 1e-6)
	q := 10 / (10 + 1e-6)
	perfect := 2 * q * q / (2*q + 1e-6)
	// [10,15] [16,20]: overlap 9, p = 9/(9+1e-6), r = 9/(10+1e-6); local pairs
	// [10,15] with the gt (IoU 0.5, C = U) and [16,20] with the pad [1e9, 1e9+1].
	p2, r2 := 9/(9+1e-6), 9/(10+1e-6)
	split := 2 * p2 * r2 / (p2 + r2 + 1e-6)
	splitLocal := (0.75 + 5/(1e9+1-16)/2) / 2
	tests := []struct {
		name       string
		completion string
		f1, f2     float64
		g, l       float64
	}{
		// 1e1 and 2_0 parse to 10.0 and 20.0; their reprs "10.0" and "20.0" are cited once.
		{"exponent and underscore", "<think>at 10.0 and 20.0</think><answer>1e1-2_0</answer>", 1, 1, perfect, 1},
		{"plus sign", "<think>10.0 20.0</think><answer>+10-+20</answer>", 1, 1, perfect, 1},
		{"arabic-indic digits", "<think>10.0 20.0</think><answer>\u0661\u0660-\u0662\u0660</answer>", 1, 1, perfect, 1},
		// ideographic space and U+001C split items like ASCII spaces do.
		{"unicode whitespace splits", "<think>10.0 15.0 16.0 20.0</think><answer>10-15\u300016-20</answer>", 1, 1, split, splitLocal},
		{"FS splits", "<think>10.0 15.0 16.0 20.0</think><answer>10-15\x1c16-20</answer>", 1, 1, split, splitLocal},
		// 1e16 prints as "1e+16": '+' repeats the e, so "1eee16" cites it; "0.0" matches "0 0".
		{"repr 1e+16 as regex", "<think>0 0 and 1eee16</think><answer>0-1e16</answer>", 1, 1, math.NaN(), math.NaN()},
		// nan parses (format) but fails start >= 0 (matching).
		{"nan start", "<think>nan 20.0</think><answer>nan-20</answer>", 1, 1, 0, 0},
		// surrounding whitespace outside the tags is Unicode \s.
		{"unicode space around tags", "\u3000<think>10.0 20.0</think>\u2003<answer>10-20</answer>\u00a0", 1, 1, perfect, 1},
		{"empty item dash", "<think>10.0</think><answer>-10</answer>", 0.2, 0.2, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s1, err := score(t, tc.completion, gt, 1, Compat)
			if err != nil {
				t.Fatal(err)
			}
			s2, _ := score(t, tc.completion, gt, 2, Compat)
			if s1.Format != tc.f1 || s2.Format != tc.f2 {
				t.Errorf("format = %v/%v, want %v/%v", s1.Format, s2.Format, tc.f1, tc.f2)
			}
			if !math.IsNaN(tc.g) && (!near(s1.GlobalMatching, tc.g, 1e-12) || !near(s1.LocalMatching, tc.l, 1e-12)) {
				t.Errorf("global/local = %v/%v, want %v/%v", s1.GlobalMatching, s1.LocalMatching, tc.g, tc.l)
			}
		})
	}
}

// TestStrictFixes checks each example of docs/rewards.md: the score differs
// between modes exactly as documented.
func TestStrictFixes(t *testing.T) {
	darts := [][2]float64{{0.03, 7.07}, {17.27, 27.32}}
	tests := []struct {
		name           string
		completion     string
		gt             [][2]float64
		phase          int
		field          string
		compat, strict float64
		strictErr      error
	}{
		{"timestamps by value", "<think>between 8 and 13 seconds</think><answer>8.00-13.00</answer>", [][2]float64{{8, 13}}, 1, "format", 0.6, 1, nil},
		{"dot is not a wildcard", "<think>13x1 and 25y3</think><answer>13.10-25.30</answer>", [][2]float64{{13.1, 25.3}}, 1, "format", 1, 0.6, nil},
		{"1e+16 is a number", "<think>0 0 and 1eee16</think><answer>0-1e16</answer>", [][2]float64{{0, 10}}, 1, "format", 1, 0.6, nil},
		{"empty answer", "<think>nothing</think><answer></answer>", [][2]float64{{13.9, 25.3}}, 2, "format", 1, 0.2, nil},
		{"order-insensitive local", "<think>0.03 7.07 17.27 27.32</think><answer>17.27-27.32 0.03-7.07</answer>", darts, 2, "local", 0.313118, 1, nil},
		{"non-finite answer", "<think>1 inf</think><answer>1-inf</answer>", [][2]float64{{13.9, 25.3}}, 2, "format", 1, 0.2, nil},
		{"reversed ground truth", "<think>13.0 38.0</think><answer>13.00-38.00</answer>", [][2]float64{{38, 13}}, 2, "local", 0, 0, ErrReversedSolution},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := score(t, tc.completion, tc.gt, tc.phase, Compat)
			if err != nil {
				t.Fatal(err)
			}
			s, err := score(t, tc.completion, tc.gt, tc.phase, Strict)
			if tc.strictErr != nil {
				if !errors.Is(err, tc.strictErr) {
					t.Fatalf("strict err = %v, want %v", err, tc.strictErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			pick := func(m MusegScore) float64 {
				if tc.field == "local" {
					return m.LocalMatching
				}
				return m.Format
			}
			if !near(pick(c), tc.compat, 1e-6) {
				t.Errorf("compat %s = %v, want %v", tc.field, pick(c), tc.compat)
			}
			if tc.strictErr == nil && !near(pick(s), tc.strict, 1e-6) {
				t.Errorf("strict %s = %v, want %v", tc.field, pick(s), tc.strict)
			}
		})
	}
}

func TestCompatNaNLikeReference(t *testing.T) {
	// [1, inf] against [13.9, 25.3]: union and enclosure are inf, (inf-inf)/inf is nan.
	s, err := score(t, "<think>1 inf</think><answer>1-inf</answer>", [][2]float64{{13.9, 25.3}}, 2, Compat)
	if err != nil || !math.IsNaN(s.LocalMatching) || s.GlobalMatching != 0 {
		t.Errorf("got %+v, %v; want global 0, local NaN", s, err)
	}
}

// Strict equals compat on every golden case where the reference is sound
// (ground truth valid, answer non-empty and finite, timestamps cited literally,
// predictions in ground-truth order).
func TestStrictMatchesCompatWhenSound(t *testing.T) {
	differs := map[string]bool{
		"multi_reversed_order": true, "empty_answer": true, "inverted_gt_in_data": true,
		"ts_in_think_as_int": true, "regex_dot_wildcard_true": true,
		// one prediction, two ground truths: compat pairs it with the first,
		// strict with the one it covers best.
		"blanket": true,
	}
	for _, c := range loadGolden(t) {
		if differs[c.Name] {
			continue
		}
		for _, phase := range []int{1, 2} {
			a, _ := score(t, c.Completion, c.GT, phase, Compat)
			b, err := score(t, c.Completion, c.GT, phase, Strict)
			if err != nil {
				t.Fatalf("%s: %v", c.Name, err)
			}
			if !near(a.Total, b.Total, 1e-6) {
				t.Errorf("%s phase %d: strict total %v != compat %v", c.Name, phase, b.Total, a.Total)
			}
		}
	}
}

func randSegs(r *rand.Rand, n int) [][2]float64 {
	out := make([][2]float64, n)
	for i := range out {
		s := r.Float64() * 200
		out[i] = [2]float64{s, s + 0.01 + r.Float64()*40}
	}
	return out
}

// disjointSegs returns n sorted, non-overlapping segments (sound ground truth;
// overlapping ground truth can push the reference's rG above 1).
func disjointSegs(r *rand.Rand, n int) [][2]float64 {
	out := make([][2]float64, n)
	at := r.Float64() * 10
	for i := range out {
		s := at + r.Float64()*20
		out[i] = [2]float64{s, s + 0.01 + r.Float64()*30}
		at = out[i][1]
	}
	return out
}

func TestMatchingProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 2000; k++ {
		pred, gt := randSegs(r, 1+r.IntN(6)), disjointSegs(r, 1+r.IntN(6))
		g, l, lo := GlobalMatching(pred, gt), LocalMatching(pred, gt), LocalMatchingOptimal(pred, gt)
		for _, v := range []float64{g, l, lo} {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("reward %v out of [0,1] for %v vs %v", v, pred, gt)
			}
		}
		if lo < l-1e-6 { // compat pads score about 1e-9, strict 0
			t.Fatalf("optimal local %v < in-order local %v", lo, l)
		}
		perm := append([][2]float64(nil), pred...)
		r.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		if !near(GlobalMatching(perm, gt), g, 1e-9) {
			t.Fatalf("global not invariant under permutation: %v vs %v", GlobalMatching(perm, gt), g)
		}
		if !near(LocalMatchingOptimal(perm, gt), lo, 1e-9) {
			t.Fatalf("optimal local not invariant under permutation")
		}
	}
	// local matching (compat) is order-sensitive: a witness.
	pred := [][2]float64{{17.27, 27.32}, {0.03, 7.07}}
	gt := [][2]float64{{0.03, 7.07}, {17.27, 27.32}}
	if LocalMatching(pred, gt) == LocalMatching(gt, gt) {
		t.Error("compat local matching unexpectedly order-insensitive")
	}
}

func TestTotalIsSum(t *testing.T) {
	for _, c := range loadGolden(t) {
		for _, mode := range []Mode{Compat, Strict} {
			s, err := score(t, c.Completion, c.GT, 1, mode)
			if err != nil {
				continue
			}
			if s.Total != s.Format+(s.GlobalMatching+s.LocalMatching) {
				t.Errorf("%s %v: total %v != sum", c.Name, mode, s.Total)
			}
		}
	}
	plan := Plan{Phase: 1, TimestampCheck: true, Weights: Weights{Format: 0.5, Global: 2, Local: 0}}
	if got := plan.Total(1, 0.5, 0.7); got != 1.5 {
		t.Errorf("weighted total = %v, want 1.5", got)
	}
}

func TestParseAnswer(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		err  error
	}{
		{"two", "<answer>1-2 3-4</answer>", 2, nil},
		{"no think needed", "x <answer>1-2</answer> y", 1, nil},
		{"empty", "<answer> </answer>", 0, nil},
		{"reversed tags", "</answer>1-2<answer>", 0, ErrNoAnswer},
		{"start >= end", "<answer>2-1</answer>", 0, ErrBadAnswer},
		{"no dash", "<answer>12</answer>", 0, ErrBadAnswer},
	}
	for _, tc := range tests {
		segs, err := ParseAnswer(tc.in)
		if !errors.Is(err, tc.err) || len(segs) != tc.n {
			t.Errorf("%s: got %v, %v; want %d segments, %v", tc.name, segs, err, tc.n, tc.err)
		}
	}
}
