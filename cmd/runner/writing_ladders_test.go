package main

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/pgtest"
	"github.com/rlcurate/rlcurate/internal/store"
	"github.com/rlcurate/rlcurate/schedule"
)

// rankedIDs returns the ids of a select run's score rows by margin, largest first, ties by
// id: the order top-k keeps them in under the margin strategy.
func rankedIDs(t *testing.T, prefix string) []string {
	t.Helper()
	type cand struct {
		id     string
		margin float64
	}
	var cs []cand
	for _, r := range rowsOf(t, prefix, "scores") {
		cs = append(cs, cand{r["id"].(string), r["margin"].(float64)})
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].margin != cs[j].margin {
			return cs[i].margin > cs[j].margin
		}
		return cs[i].id < cs[j].id
	})
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.id
	}
	return ids
}

// TestWritingSelectRetiresMastered: with --retire-mastered the samples whose ladder the
// schedule (a file, then a postgres:// store) marks mastered are neither scored nor
// selected, counted as filtered.mastered, and top-k fills with the next ones;
// --reweight-by-level writes weights (n-p+1)/(n+1) normalised to mean 1.
func TestWritingSelectRetiresMastered(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "samples.jsonl")
	writeSamples(t, in, 12, 3)
	base := filepath.Join(dir, "base")
	if out, err := runner(t, nil, "writing", "select", "--input", in, "--output", base, "--top-k", "5"); err != nil {
		t.Fatalf("select: %v\n%s", err, out)
	}
	ranked := rankedIDs(t, base)
	if len(ranked) != 12 {
		t.Fatalf("%d score rows, want 12", len(ranked))
	}
	// ranked[0] and ranked[2] mastered (3 of 3 rungs), ranked[1] on rung 1, ranked[10]
	// on rung 2 (not selected), and a mastered id that is not in the input.
	st := schedule.NewState()
	for id, ptr := range map[string]int{ranked[0]: 3, ranked[2]: 3, ranked[1]: 1, ranked[10]: 2, "ghost": 3} {
		st.Samples[id] = &schedule.SampleState{Pointer: ptr, Rungs: 3}
	}
	b, err := schedule.EncodeState(st)
	if err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "state.json")
	if err := os.WriteFile(state, b, 0o644); err != nil {
		t.Fatal(err)
	}
	sel := filepath.Join(dir, "sel")
	out, err := runner(t, nil, "writing", "select", "--input", in, "--output", sel, "--top-k", "5", "--schedule", state, "--retire-mastered", "--reweight-by-level")
	if err != nil {
		t.Fatalf("select --retire-mastered: %v\n%s", err, out)
	}
	m := readManifest(t, sel)
	checkAccounts(t, m, 12, 5, 7, 0)
	if m.Counts["filtered.mastered"] != 2 {
		t.Errorf("filtered.mastered = %d, want 2 (%v)", m.Counts["filtered.mastered"], m.Counts)
	}
	scored := byID(rowsOf(t, sel, "scores"), "id")
	if len(scored) != 10 || scored[ranked[0]] != nil || scored[ranked[2]] != nil {
		t.Errorf("%d score rows (mastered %s, %s scored: %v, %v), want 10 without the mastered", len(scored), ranked[0], ranked[2], scored[ranked[0]] != nil, scored[ranked[2]] != nil)
	}
	// The top 5 of the others; ranked[1] stands on rung 1 of 3: raw 3/4 against 1 for
	// the four at the bottom, mean 4.75/5, so 15/19 and 20/19.
	want := map[string]float64{ranked[1]: 15.0 / 19, ranked[3]: 20.0 / 19, ranked[4]: 20.0 / 19, ranked[5]: 20.0 / 19, ranked[6]: 20.0 / 19}
	data := byID(rowsOf(t, sel, layout.DataOutput), "id")
	sum := 0.0
	for id, w := range want {
		r := data[id]
		if r == nil {
			t.Errorf("%s not selected; selected %v", id, keys(data))
			continue
		}
		got, _ := r["sampling_weight"].(float64)
		sum += got
		if math.Abs(got-w) > 1e-12 {
			t.Errorf("%s: sampling_weight %v, want %v", id, r["sampling_weight"], w)
		}
	}
	if len(data) != 5 || math.Abs(sum-5) > 1e-9 {
		t.Errorf("%d rows selected, weights sum to %v; want 5 and 5", len(data), sum)
	}

	// The same schedule in a postgres:// store, --retire-mastered alone: the same rows,
	// no weights.
	pg := pgtest.Start(t).Database(t)
	pst, closeStore, err := store.Open(context.Background(), pg)
	if err != nil {
		t.Fatal(err)
	}
	err = pst.Update(context.Background(), func(s *schedule.State) error { *s = *st; return nil })
	closeStore()
	if err != nil {
		t.Fatal(err)
	}
	selPG := filepath.Join(dir, "sel-pg")
	if out, err := runner(t, nil, "writing", "select", "--input", in, "--output", selPG, "--top-k", "5", "--schedule", pg, "--retire-mastered"); err != nil {
		t.Fatalf("select --schedule postgres: %v\n%s", err, out)
	}
	checkAccounts(t, readManifest(t, selPG), 12, 5, 7, 0)
	dataPG := byID(rowsOf(t, selPG, layout.DataOutput), "id")
	for id := range want {
		if r := dataPG[id]; r == nil || r["sampling_weight"] != nil {
			t.Errorf("postgres schedule: %s = %v, want selected without a weight", id, r)
		}
	}
}

func keys(m map[string]map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// TestWritingSelectLadderRefusals: the schedule options that cannot work exit 1 with one
// line saying why, before anything runs.
func TestWritingSelectLadderRefusals(t *testing.T) {
	dir := t.TempDir()
	in := example(t, "writing_samples.jsonl")
	state := filepath.Join(dir, "state.json")
	base := []string{"writing", "select", "--input", in, "--output", filepath.Join(dir, "out")}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"retire without schedule", []string{"--top-k", "3", "--retire-mastered"}, "need --schedule STATE"},
		{"reweight without schedule", []string{"--top-k", "3", "--reweight-by-level"}, "need --schedule STATE"},
		{"schedule alone", []string{"--top-k", "3", "--schedule", state}, "only for --retire-mastered or --reweight-by-level"},
		{"reweight under min-margin", []string{"--min-margin", "1", "--schedule", state, "--reweight-by-level"}, "--reweight-by-level needs --top-k"},
		{"bad state", []string{"--top-k", "3", "--schedule", in, "--retire-mastered"}, "bad schedule state"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runner(t, nil, append(base, tc.args...)...)
			var lines []string
			for _, l := range strings.Split(out, "\n") {
				if strings.Contains(l, tc.want) {
					lines = append(lines, l)
				}
			}
			if code := runnerExit(t, err); code != 1 || len(lines) != 1 || strings.Contains(out, "panic") {
				t.Errorf("exit %d, %d lines with %q; want exit 1 and one line:\n%s", code, len(lines), tc.want, out)
			}
			if _, err := os.Stat(filepath.Join(dir, "out", "manifest.json")); err == nil {
				t.Errorf("a refused run wrote a manifest")
			}
		})
	}
}
