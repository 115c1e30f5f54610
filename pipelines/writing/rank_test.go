package writing

import (
	"reflect"
	"sort"
	"testing"
)

func TestScores(t *testing.T) {
	tests := []struct {
		name   string
		sc     Scores
		margin float64
		ladder []int
	}{
		{"ordered", Scores{Policy: 4, References: []float64{6, 2, 9}}, 5, []int{1, 0, 2}},
		{"ties keep input order", Scores{Policy: 8, References: []float64{5, 5, 3}}, -3, []int{2, 0, 1}},
		{"single", Scores{Policy: 1, References: []float64{1}}, 0, []int{0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if m := tc.sc.Margin(); m != tc.margin {
				t.Errorf("margin = %v, want %v", m, tc.margin)
			}
			if l := tc.sc.Ladder(); !reflect.DeepEqual(l, tc.ladder) {
				t.Errorf("ladder = %v, want %v", l, tc.ladder)
			}
		})
	}
}

func TestTopKSelection(t *testing.T) {
	samples := map[string]Scores{
		"a": {Policy: 2, References: []float64{5}}, // margin 3
		"b": {Policy: 1, References: []float64{4}}, // margin 3 (tie with a: a first)
		"c": {Policy: 5, References: []float64{9}}, // margin 4
		"d": {Policy: 6, References: []float64{6}}, // margin 0
	}
	tests := []struct {
		name string
		st   Strategy
		k    int
		want []string
	}{
		{"margin top 2 with a tie", ByMargin, 2, []string{"a", "c"}},
		{"margin top 3", ByMargin, 3, []string{"a", "b", "c"}},
		{"difficulty", ByDifficulty, 2, []string{"a", "b"}},
		{"quality", ByQuality, 1, []string{"c"}},
		{"k larger than input", ByMargin, 10, []string{"a", "b", "c", "d"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ranks []Rank
			for id, sc := range samples {
				ranks = append(ranks, RankOf(tc.st, id, sc, 0))
			}
			sort.Slice(ranks, func(i, j int) bool { return RankLess(ranks[j], ranks[i]) })
			cut := CutoffOf(ranks[:min(tc.k, len(ranks))])
			var got []string
			for id, sc := range samples {
				if Selected(RankOf(tc.st, id, sc, 0), cut) {
					got = append(got, id)
				}
			}
			sort.Strings(got)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("selected %v, want %v", got, tc.want)
			}
		})
	}
	if CutoffOf(nil).Valid || Selected(Rank{Key: 100, ID: "x"}, CutoffOf(nil)) {
		t.Errorf("an empty top list selects something")
	}
}

func TestRandomRankIsSeeded(t *testing.T) {
	a, b := RankOf(ByRandom, "x", Scores{}, 1), RankOf(ByRandom, "x", Scores{}, 1)
	c := RankOf(ByRandom, "x", Scores{}, 2)
	if a != b || a == c || a.Key < 0 || a.Key >= 1 {
		t.Errorf("random ranks %v %v %v: want equal for one seed, different across seeds, in [0,1)", a, b, c)
	}
}
