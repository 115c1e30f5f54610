package writing

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/transforms"
)

// oldSelected is the one-pass selection this package made before the two-pass job: every
// scored sample is kept when its rank is at or above the cutoff of the k best ranks.
func oldSelected(st Strategy, k int, seed int64, all []Scored) map[string]bool {
	var ranks []Rank
	for _, sc := range all {
		ranks = append(ranks, RankOf(st, sc.ID, sc.Scores(), seed))
	}
	sort.Slice(ranks, func(i, j int) bool { return RankLess(ranks[j], ranks[i]) })
	cut := CutoffOf(ranks[:min(k, len(ranks))])
	kept := map[string]bool{}
	for _, sc := range all {
		if Selected(RankOf(st, sc.ID, sc.Scores(), seed), cut) {
			kept[fmt.Sprintf("%s:%d", sc.File, sc.Line)] = true
		}
	}
	return kept
}

// largest is what top.Largest(k, CandidateLess) computes: the k largest candidates.
func largest(cs []Candidate, k int) []Candidate {
	cs = append([]Candidate(nil), cs...)
	sort.Slice(cs, func(i, j int) bool { return CandidateLess(cs[j], cs[i]) })
	return cs[:min(k, len(cs))]
}

// scoredSamples returns n scored samples with few distinct scores (many ties), spread over
// two files.
func scoredSamples(n int) []Scored {
	var all []Scored
	for i := range n {
		all = append(all, Scored{ID: fmt.Sprintf("s%03d", (i*37)%n), File: []string{"a.jsonl", "b.jsonl"}[i%2], Line: int64(i + 1),
			Policy: float64(i % 5), References: []float64{float64(i % 3), float64((i * 7) % 4)}})
	}
	return all
}

func TestCandidateSelectionMatchesOneFinalPass(t *testing.T) {
	all := scoredSamples(200)
	tests := []struct {
		name string
		st   Strategy
		k    int
		seed int64
	}{
		{"margin", ByMargin, 17, 0},
		{"difficulty", ByDifficulty, 50, 0},
		{"quality", ByQuality, 1, 0},
		{"random", ByRandom, 60, 42},
		{"random other seed", ByRandom, 60, 43},
		{"k above input", ByMargin, 500, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var cs []Candidate
			for _, sc := range all {
				cs = append(cs, CandidateOf(tc.st, sc, tc.seed))
			}
			got := map[string]bool{}
			for at := range picksOf(largest(cs, tc.k)) {
				got[fmt.Sprintf("%s:%d", at.File, at.Line)] = true
			}
			want := oldSelected(tc.st, tc.k, tc.seed, all)
			if len(want) != min(tc.k, len(all)) || !reflect.DeepEqual(got, want) {
				t.Errorf("picked %d rows, the one-pass selection %d; differing: %v", len(got), len(want), symDiff(got, want))
			}
		})
	}
}

func symDiff(a, b map[string]bool) []string {
	var d []string
	for k := range a {
		if !b[k] {
			d = append(d, "+"+k)
		}
	}
	for k := range b {
		if !a[k] {
			d = append(d, "-"+k)
		}
	}
	return d
}

func TestCandidateTies(t *testing.T) {
	// Hand-ranked: a and b tie on margin 3 (a first by id), c has margin 4, d margin 0.
	cs := []Candidate{
		{Rank: Rank{Key: 3, ID: "b"}, File: "f", Line: 2},
		{Rank: Rank{Key: 0, ID: "d"}, File: "f", Line: 4},
		{Rank: Rank{Key: 4, ID: "c"}, File: "f", Line: 3},
		{Rank: Rank{Key: 3, ID: "a"}, File: "f", Line: 1},
	}
	tests := []struct {
		k    int
		want []int64
	}{{1, []int64{3}}, {2, []int64{1, 3}}, {3, []int64{1, 2, 3}}, {9, []int64{1, 2, 3, 4}}}
	for _, tc := range tests {
		t.Run(fmt.Sprint("k=", tc.k), func(t *testing.T) {
			var got []int64
			for at := range picksOf(largest(cs, tc.k)) {
				got = append(got, at.Line)
			}
			sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("lines %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPick(t *testing.T) {
	const row = `{"id":"x","prompt":"p","policy_response":"r","references":["weak","strong"]}`
	picks := picksOf([]Candidate{
		{Rank: Rank{Key: 5, ID: "x"}, File: "a.jsonl", Line: 3, Policy: 1, References: []float64{2, 6}},
		{Rank: Rank{Key: 5, ID: "y"}, File: "a.jsonl", Line: 4, Policy: 1, References: []float64{2}},
	})
	tests := []struct {
		name   string
		line   transforms.Line
		ok     bool
		want   string // substring of the data row
		dead   string // substring of the dead letter's reason
		errSub string
	}{
		{"selected", transforms.Line{File: "a.jsonl", Number: 3, Text: row}, true, `"margin":5`, "", ""},
		{"same id at another line (a later duplicate)", transforms.Line{File: "a.jsonl", Number: 9, Text: row}, false, "", "", ""},
		{"same line in another file", transforms.Line{File: "b.jsonl", Number: 3, Text: row}, false, "", "", ""},
		{"input changed between passes", transforms.Line{File: "a.jsonl", Number: 4, Text: row}, true, "", "", "input changed"},
		{"scores do not fit the row", transforms.Line{File: "a.jsonl", Number: 4, Text: strings.Replace(row, `"x"`, `"y"`, 1)}, true, "", "2 references but 1 scores", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, dead, ok, err := pick(tc.line, picks)
			if ok != tc.ok || (err != nil) != (tc.errSub != "") || (err != nil && !strings.Contains(err.Error(), tc.errSub)) {
				t.Fatalf("ok %v err %v, want ok %v err containing %q", ok, err, tc.ok, tc.errSub)
			}
			if (dead != nil) != (tc.dead != "") || (dead != nil && (!strings.Contains(dead.Reason, tc.dead) || dead.Stage != StageSelect || dead.Line != tc.line.Number)) {
				t.Errorf("dead letter %+v, want reason containing %q", dead, tc.dead)
			}
			if !strings.Contains(got, tc.want) || (tc.want == "") != (got == "") {
				t.Errorf("row %s, want one containing %q", got, tc.want)
			}
		})
	}
}
