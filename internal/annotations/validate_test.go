package annotations

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func dur(v float64) *float64 { return &v }

func TestValidate(t *testing.T) {
	def := DefaultValidateOptions()
	merge := def
	merge.MergeOverlaps = true
	strictDur := def
	strictDur.RejectDurationMismatch = true
	noClip := def
	noClip.ClipToleranceSec = 0
	three := def
	three.MaxSegments = 3
	noLimit := def
	noLimit.MaxSegments = 0

	eleven := make([][2]float64, 11)
	for i := range eleven {
		eleven[i] = [2]float64{float64(2 * i), float64(2*i + 1)}
	}

	tests := []struct {
		name      string
		sol       [][2]float64
		annDur    *float64
		probed    float64
		opts      ValidateOptions
		wantRule  Rule // "" when accepted
		wantSol   [][2]float64
		wantFixes []string // FixRule names, in order
	}{
		{name: "clean single", sol: [][2]float64{{1, 4}}, probed: 10, opts: def, wantSol: [][2]float64{{1, 4}}},
		{name: "clean multi touching", sol: [][2]float64{{1, 4}, {4, 6}}, probed: 10, opts: def, wantSol: [][2]float64{{1, 4}, {4, 6}}},
		{name: "end exactly at duration", sol: [][2]float64{{1, 10}}, probed: 10, opts: def, wantSol: [][2]float64{{1, 10}}},
		{name: "invalid probe zero", sol: [][2]float64{{1, 4}}, probed: 0, opts: def, wantRule: RuleInvalidProbe},
		{name: "invalid probe NaN", sol: [][2]float64{{1, 4}}, probed: math.NaN(), opts: def, wantRule: RuleInvalidProbe},
		{name: "no segments", sol: nil, probed: 10, opts: def, wantRule: RuleNoSegments},
		{name: "non-finite bound", sol: [][2]float64{{1, math.Inf(1)}}, probed: 10, opts: def, wantRule: RuleNonFinite},
		{name: "negative start", sol: [][2]float64{{-0.5, 4}}, probed: 10, opts: def, wantRule: RuleNegativeStart},
		{name: "reversed as released", sol: [][2]float64{{38, 13}}, probed: 60, opts: def, wantRule: RuleReversed},
		{name: "zero length", sol: [][2]float64{{1, 4}, {5, 5}}, probed: 10, opts: def, wantRule: RuleZeroLength},
		{name: "end beyond within tolerance is clipped", sol: [][2]float64{{2, 10.6}}, probed: 10, opts: def,
			wantSol: [][2]float64{{2, 10}}, wantFixes: []string{"end_beyond_duration"}},
		{name: "end beyond exactly the tolerance is clipped", sol: [][2]float64{{2, 11}}, probed: 10, opts: def,
			wantSol: [][2]float64{{2, 10}}, wantFixes: []string{"end_beyond_duration"}},
		{name: "end beyond over tolerance", sol: [][2]float64{{2, 11.5}}, probed: 10, opts: def, wantRule: RuleEndBeyondDuration},
		{name: "end beyond with clipping disabled", sol: [][2]float64{{2, 10.1}}, probed: 10, opts: noClip, wantRule: RuleEndBeyondDuration},
		{name: "start at the video end", sol: [][2]float64{{10, 10.5}}, probed: 10, opts: def, wantRule: RuleEndBeyondDuration},
		{name: "unsorted is sorted", sol: [][2]float64{{6, 8}, {1, 2}}, probed: 10, opts: def,
			wantSol: [][2]float64{{1, 2}, {6, 8}}, wantFixes: []string{"unsorted_segments"}},
		{name: "overlap rejected by default", sol: [][2]float64{{1, 5}, {4, 8}}, probed: 10, opts: def, wantRule: RuleOverlap},
		{name: "overlap hidden by order", sol: [][2]float64{{4, 8}, {1, 5}}, probed: 10, opts: def, wantRule: RuleOverlap},
		{name: "overlap merged when asked", sol: [][2]float64{{1, 5}, {4, 8}, {7.5, 9}, {9, 9.5}}, probed: 10, opts: merge,
			wantSol: [][2]float64{{1, 9}, {9, 9.5}}, wantFixes: []string{"overlapping_segments"}},
		{name: "contained segment merged", sol: [][2]float64{{1, 8}, {2, 3}}, probed: 10, opts: merge,
			wantSol: [][2]float64{{1, 8}}, wantFixes: []string{"overlapping_segments"}},
		{name: "eleven segments", sol: eleven, probed: 30, opts: def, wantRule: RuleTooManySegments},
		{name: "eleven segments without limit", sol: eleven, probed: 30, opts: noLimit, wantSol: eleven},
		{name: "four segments merged to three fit", sol: [][2]float64{{1, 3}, {2, 4}, {5, 6}, {7, 8}}, probed: 10, opts: func() ValidateOptions { o := three; o.MergeOverlaps = true; return o }(),
			wantSol: [][2]float64{{1, 4}, {5, 6}, {7, 8}}, wantFixes: []string{"overlapping_segments"}},
		{name: "duration mismatch recorded", sol: [][2]float64{{1, 4}}, annDur: dur(12.5), probed: 10, opts: def,
			wantSol: [][2]float64{{1, 4}}, wantFixes: []string{"duration_mismatch"}},
		{name: "duration within tolerance", sol: [][2]float64{{1, 4}}, annDur: dur(10.9), probed: 10, opts: def, wantSol: [][2]float64{{1, 4}}},
		{name: "duration mismatch rejected when asked", sol: [][2]float64{{1, 4}}, annDur: dur(12.5), probed: 10, opts: strictDur, wantRule: RuleDurationMismatch},
		{name: "several fixes in rule order", sol: [][2]float64{{7, 10.5}, {1, 2}}, annDur: dur(20), probed: 10, opts: def,
			wantSol: [][2]float64{{1, 2}, {7, 10}}, wantFixes: []string{"duration_mismatch", "end_beyond_duration", "unsorted_segments"}},
		{name: "first failing rule wins", sol: [][2]float64{{-1, 4}, {5, 3}}, probed: 10, opts: def, wantRule: RuleNegativeStart},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := Sample{Key: "k", Video: "v.mp4", Task: TaskTAL, Solution: slices.Clone(tc.sol), Duration: tc.annDur, Fixes: []string{"query_fallback: x"}}
			orig := slices.Clone(in.Solution)
			got, err := Validate(in, tc.probed, tc.opts)
			if !slices.Equal(in.Solution, orig) || len(in.Fixes) != 1 {
				t.Errorf("Validate modified its input: %v %v", in.Solution, in.Fixes)
			}
			if tc.wantRule != "" {
				var rej *Rejection
				if !errors.As(err, &rej) || rej.Rule != tc.wantRule {
					t.Fatalf("err = %v, want rejection by %s", err, tc.wantRule)
				}
				if rej.Reason == "" {
					t.Error("rejection without a reason")
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected rejection: %v", err)
			}
			if !slices.Equal(got.Solution, tc.wantSol) {
				t.Errorf("solution = %v, want %v", got.Solution, tc.wantSol)
			}
			if got.Duration == nil || *got.Duration != tc.probed {
				t.Errorf("duration = %v, want probed %v", got.Duration, tc.probed)
			}
			var names []string
			for _, f := range got.Fixes[1:] {
				names = append(names, FixRule(f))
			}
			if !slices.Equal(names, tc.wantFixes) {
				t.Errorf("fixes = %q, want names %q", got.Fixes, tc.wantFixes)
			}
			if got.Fixes[0] != "query_fallback: x" {
				t.Errorf("earlier fixes lost: %q", got.Fixes)
			}
		})
	}
}

func TestRulesAreDistinct(t *testing.T) {
	seen := map[Rule]bool{}
	for _, r := range Rules {
		if seen[r] || r == "" {
			t.Errorf("rule %q repeated or empty", r)
		}
		seen[r] = true
	}
	if len(Rules) != 11 {
		t.Errorf("%d rules, want 11", len(Rules))
	}
}

func TestFixRule(t *testing.T) {
	tests := []struct{ in, want string }{
		{"end_beyond_duration: segment 0 clipped", "end_beyond_duration"},
		{"query_fallback: a: b", "query_fallback"},
		{"bare", "bare"},
	}
	for _, tc := range tests {
		if got := FixRule(tc.in); got != tc.want {
			t.Errorf("FixRule(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
