package writing

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/transforms"
)

func TestLevelWeights(t *testing.T) {
	cand := func(id string, line int64, refs int) Candidate {
		return Candidate{Rank: Rank{ID: id}, File: "a.jsonl", Line: line, References: make([]float64, refs)}
	}
	tests := []struct {
		name   string
		cs     []Candidate
		levels map[string]Level
		want   []float64 // by line 1, 2, ...
	}{
		{"no schedule: all at the bottom", []Candidate{cand("a", 1, 3), cand("b", 2, 2)}, nil, []float64{1, 1}},
		// raw 4/4 and 1/4 (mastered), mean 5/8
		{"bottom and mastered", []Candidate{cand("a", 1, 3), cand("b", 2, 3)}, map[string]Level{"b": {Pointer: 3, Rungs: 3}}, []float64{1.6, 0.4}},
		// raw 2/4 and 2/3 (the same share on ladders of 3 and 2): mean 7/12
		{"halfway on two ladders", []Candidate{cand("a", 1, 3), cand("b", 2, 2)}, map[string]Level{"a": {Pointer: 2, Rungs: 3}, "b": {Pointer: 1, Rungs: 2}}, []float64{6.0 / 7, 8.0 / 7}},
		// a pointer beyond the row's references counts as mastered: raw 1/3 and 1, mean 2/3
		{"pointer past the row's ladder", []Candidate{cand("a", 1, 2), cand("b", 2, 2)}, map[string]Level{"a": {Pointer: 5, Rungs: 5}}, []float64{0.5, 1.5}},
		{"one row", []Candidate{cand("a", 1, 4)}, map[string]Level{"a": {Pointer: 2, Rungs: 4}}, []float64{1}},
		{"none", nil, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := LevelWeights(tc.cs, tc.levels)
			if len(got) != len(tc.want) {
				t.Fatalf("%d weights, want %d", len(got), len(tc.want))
			}
			for i, w := range tc.want {
				if g := got[rowAt{File: "a.jsonl", Line: int64(i + 1)}]; math.Abs(g-w) > 1e-12 {
					t.Errorf("line %d: weight %v, want %v", i+1, g, w)
				}
			}
		})
	}
}

func TestWeightedRow(t *testing.T) {
	row, err := weightedRow(`{"id":"x","sampling_weight":"old","prompt":"p"}`, 0.25)
	if err != nil || row != `{"id":"x","prompt":"p","sampling_weight":0.25}` {
		t.Errorf("weightedRow = %s, %v", row, err)
	}
}

func TestLaddersValidate(t *testing.T) {
	tests := []struct {
		name      string
		l         Ladders
		threshold bool
		wantErr   string
	}{
		{"none", Ladders{}, false, ""},
		{"retire", Ladders{Schedule: "s.json", RetireMastered: true}, true, ""},
		{"reweight under top-k", Ladders{Schedule: "s.json", ReweightByLevel: true}, false, ""},
		{"retire without schedule", Ladders{RetireMastered: true}, false, "need --schedule"},
		{"reweight without schedule", Ladders{ReweightByLevel: true}, false, "need --schedule"},
		{"schedule alone", Ladders{Schedule: "s.json"}, false, "read only for"},
		{"reweight under threshold", Ladders{Schedule: "s.json", ReweightByLevel: true}, true, "needs --top-k"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.l.Validate(tc.threshold)
			if (err == nil) != (tc.wantErr == "") || err != nil && !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Validate = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// TestRetireMastered runs RetireMastered on prism: the rows of mastered ids are left out
// and tallied twice (filtered and filtered.mastered), the others kept as they are.
func TestRetireMastered(t *testing.T) {
	beam.Init()
	row := func(id string, n int64) transforms.Line {
		return transforms.Line{File: "a.jsonl", Number: n, Text: fmt.Sprintf(`{"id":%q,"prompt":"p","policy_response":"r","references":["x"]}`, id)}
	}
	lines := []transforms.Line{row("a", 1), row("m1", 2), row("b", 3), row("m2", 4), row("c", 5)}
	tests := []struct {
		name     string
		mastered []string
		kept     []transforms.Line
		retired  int64
	}{
		{"two mastered", []string{"ghost", "m1", "m2"}, []transforms.Line{lines[0], lines[2], lines[4]}, 2},
		{"none mastered", nil, lines, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, s := beam.NewPipelineWithRoot()
			kept, tallies := RetireMastered(s, beam.Reshuffle(s, beam.CreateList(s, lines)), tc.mastered)
			passert.Equals(s, kept, toAny(tc.kept)...)
			sums := beam.ParDo(s, formatTally, transforms.SumTallies(s, tallies))
			if tc.retired > 0 {
				passert.Equals(s, sums, fmt.Sprintf("%s=%d", layout.CountFiltered, tc.retired), fmt.Sprintf("%s=%d", CountMastered, tc.retired))
			} else {
				passert.Empty(s, sums)
			}
			if err := ptest.Run(p); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func init() { register.Function2x1[string, int64, string](formatTally) }

// formatTally renders a tally as name=count, for passert.
func formatTally(name string, n int64) string { return fmt.Sprintf("%s=%d", name, n) }
