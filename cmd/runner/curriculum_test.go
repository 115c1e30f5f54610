package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeLines writes rows as a JSONL file in dir and returns its path.
func writeLines(t *testing.T, dir, name string, rows []string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// field returns the sorted values of key in every row of PREFIX/data/.
func field(t *testing.T, prefix, key string) []string {
	t.Helper()
	var out []string
	for _, r := range readJSONL[map[string]any](t, prefix, "data") {
		out = append(out, fmt.Sprint(r[key]))
	}
	slices.Sort(out)
	return out
}

// TestCurriculumDifficulty: writing label rows of five synthetic groups (all solved, all
// failed, in band, below, above) through the runner, band 0.3:0.7, with and without
// --samples; then video score rows (sample_id passed through video score) of two groups.
func TestCurriculumDifficulty(t *testing.T) {
	dir := t.TempDir()
	groups := map[string][]float64{"solved": {1, 1, 1, 1}, "failed": {0, 0, 0, 0}, "inband": {1, 0, 0.5, 0.5}, "below": {1, 0, 0, 0}, "above": {1, 1, 1, 0}}
	var labels, samples []string
	for id, rs := range groups {
		for i, r := range rs {
			labels = append(labels, fmt.Sprintf(`{"id": "%s-%d", "sample_id": "%s", "reward": %g}`, id, i, id, r))
		}
		samples = append(samples, fmt.Sprintf(`{"id": "%s", "prompt": "p"}`, id))
	}
	samples = append(samples, `{"id": "unrolled", "prompt": "p"}`)
	lp, sp := writeLines(t, dir, "labels.jsonl", labels), writeLines(t, dir, "samples.jsonl", samples)
	tests := []struct {
		name   string
		args   []string
		wantID string
		want   []string
		counts map[string]int64
	}{
		{"per sample", []string{"--band", "0.3:0.7"}, "sample_id", []string{"inband"},
			map[string]int64{"read": 5, "written": 1, "filtered": 4, "zero_variance": 2, "too_easy": 1, "too_hard": 1, "rollouts": 20}},
		{"default band drops zero variance only", nil, "sample_id", []string{"above", "below", "inband"},
			map[string]int64{"read": 5, "written": 3, "filtered": 2, "zero_variance": 2}},
		{"samples", []string{"--band", "0.3:0.7", "--samples", sp}, "id", []string{"inband", "unrolled"},
			map[string]int64{"read": 6, "written": 2, "filtered": 4, "unrolled": 1, "too_easy": 1}},
		{"samples, unrolled dropped", []string{"--band", "0.3:0.7", "--samples", sp, "--drop-unrolled"}, "id", []string{"inband"},
			map[string]int64{"read": 6, "written": 1, "filtered": 5, "unrolled": 1}},
		{"too few rollouts", []string{"--min-rollouts", "5"}, "sample_id", nil,
			map[string]int64{"read": 5, "written": 0, "too_few_rollouts": 5}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, fmt.Sprint("out", i))
			args := append([]string{"curriculum", "difficulty", "--rollouts", lp, "--output", out}, tc.args...)
			if o, err := runner(t, nil, args...); err != nil && len(tc.want) > 0 {
				t.Fatalf("%v\n%s", err, o)
			}
			if got := field(t, out, tc.wantID); !slices.Equal(got, tc.want) {
				t.Errorf("kept %v, want %v", got, tc.want)
			}
			m := readManifest(t, out)
			for k, v := range tc.counts {
				if m.Counts[k] != v {
					t.Errorf("counts[%s] = %d, want %d (%v)", k, m.Counts[k], v, m.Counts)
				}
			}
		})
	}
}

// TestVideoScoreSampleID: video score carries sample_id and group through, absent stays
// absent; curriculum difficulty reads its rows (normalised by the phase's maximum 3).
func TestVideoScoreSampleID(t *testing.T) {
	dir := t.TempDir()
	good := `"completion": "<think>13.9 25.3</think><answer>13.90-25.30</answer>", "solution": [[13.9, 25.3]]`
	bad := `"completion": "no tags", "solution": [[13.9, 25.3]]`
	in := writeLines(t, dir, "rollouts.jsonl", []string{
		`{"id": "a0", "sample_id": "a", "group": "v.mp4|q", ` + good + `}`,
		`{"id": "a1", "sample_id": "a", "group": "v.mp4|q", ` + bad + `}`,
		`{"id": "b0", "sample_id": "b", ` + good + `}`,
		`{"id": "b1", "sample_id": "b", ` + good + `}`,
		`{"id": "n0", ` + good + `}`,
	})
	score := filepath.Join(dir, "score")
	if o, err := runner(t, nil, "video", "score", "--input", in, "--output", score); err != nil {
		t.Fatalf("%v\n%s", err, o)
	}
	got := map[string][2]any{}
	for _, r := range readJSONL[map[string]any](t, score, "data") {
		got[fmt.Sprint(r["id"])] = [2]any{r["sample_id"], r["group"]}
	}
	want := map[string][2]any{"a0": {"a", "v.mp4|q"}, "a1": {"a", "v.mp4|q"}, "b0": {"b", nil}, "b1": {"b", nil}, "n0": {nil, nil}}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: sample_id, group = %v, want %v", id, got[id], w)
		}
	}
	out := filepath.Join(dir, "difficulty")
	o, err := runner(t, nil, "curriculum", "difficulty", "--rollouts", filepath.Join(score, "data"), "--output", out)
	// n0 has no sample_id: dead-lettered; b (all solved) is zero variance; a is kept.
	if err != nil {
		t.Fatalf("%v\n%s", err, o)
	}
	if ids := field(t, out, "sample_id"); !slices.Equal(ids, []string{"a"}) {
		t.Errorf("kept %v, want [a]", ids)
	}
	m := readManifest(t, out)
	if m.Counts["zero_variance"] != 1 || m.Counts["dead_lettered"] != 1 {
		t.Errorf("counts %v: want zero_variance 1, dead_lettered 1", m.Counts)
	}
	rows := readJSONL[map[string]any](t, out, "data")
	if mean := rows[0]["mean"].(float64); mean < 0.49 || mean > 0.51 {
		t.Errorf("mean of a = %v, want about (3 + 0) / 3 / 2 = 0.5", mean)
	}
}

// TestCurriculumMix: exact quotas, mix_source, determinism per seed, another seed's
// other draw, refusal of an unfillable quota (exit 1 naming the source), and
// --with-replacement filling it.
func TestCurriculumMix(t *testing.T) {
	dir := t.TempDir()
	var w, v []string
	for i := range 10 {
		w = append(w, fmt.Sprintf(`{"id": "w%d", "prompt": "p"}`, i))
		v = append(v, fmt.Sprintf(`{"id": "v%d", "video": "v%d.mp4", "phase": 1}`, i, i))
	}
	wp, vp := writeLines(t, dir, "w.jsonl", w), writeLines(t, dir, "v.jsonl", v)
	mix := func(name string, extra ...string) (string, string, error) {
		out := filepath.Join(dir, name)
		args := append([]string{"curriculum", "mix", "--source", "writing=" + wp + ":0.7", "--source", "video=" + vp + ":0.3", "--output", out}, extra...)
		o, err := runner(t, nil, args...)
		return out, o, err
	}
	a, o, err := mix("a", "--total", "10", "--seed", "1")
	if err != nil {
		t.Fatalf("%v\n%s", err, o)
	}
	src := field(t, a, "mix_source")
	if strings.Count(strings.Join(src, " "), "writing") != 7 || strings.Count(strings.Join(src, " "), "video") != 3 {
		t.Errorf("mix_source %v, want 7 writing and 3 video", src)
	}
	b, _, _ := mix("b", "--total", "10", "--seed", "1")
	c, _, _ := mix("c", "--total", "10", "--seed", "2")
	if !slices.Equal(field(t, a, "id"), field(t, b, "id")) {
		t.Errorf("same seed drew %v and %v", field(t, a, "id"), field(t, b, "id"))
	}
	if slices.Equal(field(t, a, "id"), field(t, c, "id")) {
		t.Errorf("seeds 1 and 2 drew the same rows %v", field(t, a, "id"))
	}
	m := readManifest(t, a)
	if m.Counts["drawn.writing"] != 7 || m.Counts["filtered"] != 10 || m.Extra["mix"] == nil {
		t.Errorf("manifest counts %v extra %v", m.Counts, m.Extra)
	}
	_, o, err = mix("d", "--total", "20", "--seed", "1")
	if code := runnerExit(t, err); code != 1 || !strings.Contains(o, `source "writing" has 10 rows, fewer than its quota of 14`) {
		t.Errorf("unfillable quota: exit %d, output\n%s", code, o)
	}
	e, o, err := mix("e", "--total", "20", "--seed", "1", "--with-replacement")
	if err != nil {
		t.Fatalf("%v\n%s", err, o)
	}
	if n := len(field(t, e, "id")); n != 20 {
		t.Errorf("with replacement wrote %d rows, want 20", n)
	}
	if m := readManifest(t, e); m.Counts["read"] != m.Counts["written"]+m.Counts["filtered"]+m.Counts["dead_lettered"] || m.Counts["repeats"] == 0 {
		t.Errorf("with replacement counts %v", m.Counts)
	}
}
