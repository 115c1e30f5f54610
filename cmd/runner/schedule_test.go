package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/internal/gcstest"
	"github.com/rlcurate/rlcurate/internal/pgtest"
)

// scheduleState is a state in the file store's shape (schedule.State's doc comment),
// written by hand: a sample promoted twice with two label ids, a mastered one, request ids.
const scheduleState = `{"version": 1,
 "samples": {"a": {"pointer": 2, "rungs": 3, "recent": ["tie"], "labels": ["a/r1", "a/r2"]},
             "m": {"pointer": 1, "rungs": 1}},
 "history": [{"sample": "a", "from": 0, "to": 1, "step": 3, "time": "2026-01-02T03:04:05Z", "reason": "promote"},
             {"sample": "m", "from": 0, "to": 1, "step": 4, "time": "2026-01-02T03:04:06Z", "reason": "master"},
             {"sample": "a", "from": 1, "to": 2, "step": 7, "time": "2026-01-02T03:04:07.5Z", "reason": "promote"}],
 "requests": ["q1", "q2"]}`

// runnerOut runs the binary and returns its stdout and stderr apart.
func runnerOut(t *testing.T, env []string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(runnerBin, args...)
	cmd.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// sameJSON fails the test unless a and b hold the same JSON value.
func sameJSON(t *testing.T, what, a, b string) {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", what, err, a)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(x, y) {
		t.Errorf("%s:\n%s\nwant:\n%s", what, a, b)
	}
}

// TestScheduleCopyShow copies a hand-written state file through a gs:// object and
// PostgreSQL back to a file, and shows it from each store: every show prints the same
// state, on stdout alone, and the last file equals the first.
func TestScheduleCopyShow(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "state.json")
	if err := os.WriteFile(src, []byte(scheduleState), 0o644); err != nil {
		t.Fatal(err)
	}
	_, host := gcstest.StartT(t, "sched")
	env := []string{"STORAGE_EMULATOR_HOST=" + host}
	pg := pgtest.Start(t).Database(t)
	chain := []string{src, "gs://sched/state.json", pg, filepath.Join(dir, "back.json")}
	for i := 1; i < len(chain); i++ {
		out, stderr, err := runnerOut(t, env, "schedule", "copy", "--from", chain[i-1], "--to", chain[i])
		if err != nil || !strings.Contains(out, "copied 2 samples (1 mastered), 3 moves, 2 label ids, 2 request ids") {
			t.Fatalf("copy %s -> %s: %v\n%s%s", chain[i-1], chain[i], err, out, stderr)
		}
		shown, stderr, err := runnerOut(t, env, "schedule", "show", "--schedule", chain[i])
		if err != nil || stderr != "" {
			t.Fatalf("show %s: %v\n%s", chain[i], err, stderr)
		}
		sameJSON(t, "show "+chain[i], shown, scheduleState)
	}
	back, _ := os.ReadFile(chain[3])
	sameJSON(t, "the state copied back", string(back), scheduleState)
}

// TestScheduleShowSample: --sample narrows the state to the sample and its moves, in the
// same shape; an unknown sample is an error with nothing on stdout.
func TestScheduleShowSample(t *testing.T) {
	src := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(src, []byte(scheduleState), 0o644); err != nil {
		t.Fatal(err)
	}
	pg := pgtest.Start(t).Database(t)
	if out, err := runner(t, nil, "schedule", "copy", "--from", src, "--to", pg); err != nil {
		t.Fatalf("copy: %v\n%s", err, out)
	}
	tests := []struct {
		name, sample, want string // want "" for an error
	}{
		{"promoted", "a", `{"version": 1, "samples": {"a": {"pointer": 2, "rungs": 3, "recent": ["tie"], "labels": ["a/r1", "a/r2"]}},
			"history": [{"sample": "a", "from": 0, "to": 1, "step": 3, "time": "2026-01-02T03:04:05Z", "reason": "promote"},
			            {"sample": "a", "from": 1, "to": 2, "step": 7, "time": "2026-01-02T03:04:07.5Z", "reason": "promote"}]}`},
		{"mastered", "m", `{"version": 1, "samples": {"m": {"pointer": 1, "rungs": 1}},
			"history": [{"sample": "m", "from": 0, "to": 1, "step": 4, "time": "2026-01-02T03:04:06Z", "reason": "master"}]}`},
		{"unknown", "nope", ""},
	}
	for _, path := range []string{src, pg} {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				out, stderr, err := runnerOut(t, nil, "schedule", "show", "--schedule", path, "--sample", tc.sample)
				if tc.want == "" {
					if err == nil || out != "" || !strings.Contains(stderr, `no sample "nope"`) {
						t.Fatalf("show --sample nope = %v, stdout %q, stderr %q; want an error naming it", err, out, stderr)
					}
					return
				}
				if err != nil {
					t.Fatalf("%v\n%s", err, stderr)
				}
				sameJSON(t, "show --sample "+tc.sample, out, tc.want)
			})
		}
	}
}

// TestScheduleCopyRefusesOverwrite: a destination holding a schedule is kept unless
// --force, which replaces it.
func TestScheduleCopyRefusesOverwrite(t *testing.T) {
	dir := t.TempDir()
	src, other := filepath.Join(dir, "state.json"), filepath.Join(dir, "other.json")
	os.WriteFile(src, []byte(scheduleState), 0o644)
	os.WriteFile(other, []byte(`{"version": 1, "samples": {"z": {"pointer": 0, "rungs": 2, "recent": ["loss"]}}, "history": null}`), 0o644)
	pg := pgtest.Start(t).Database(t)
	if out, err := runner(t, nil, "schedule", "copy", "--from", other, "--to", pg); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	for _, dst := range []string{other, pg} {
		before, _, _ := runnerOut(t, nil, "schedule", "show", "--schedule", dst)
		out, err := runner(t, nil, "schedule", "copy", "--from", src, "--to", dst)
		if err == nil || !strings.Contains(out, "already holds a schedule (1 samples") || !strings.Contains(out, "--force") {
			t.Fatalf("copy onto a schedule = %v\n%s; want a refusal naming --force", err, out)
		}
		if after, _, _ := runnerOut(t, nil, "schedule", "show", "--schedule", dst); after != before {
			t.Fatalf("the refused copy changed %s:\n%s", dst, after)
		}
		if out, err := runner(t, nil, "schedule", "copy", "--force", "--from", src, "--to", dst); err != nil {
			t.Fatalf("copy --force: %v\n%s", err, out)
		}
		after, _, _ := runnerOut(t, nil, "schedule", "show", "--schedule", dst)
		sameJSON(t, "after copy --force", after, scheduleState)
	}
}

// TestScheduleGroup: `runner schedule` lists its commands.
func TestScheduleGroup(t *testing.T) {
	out, _ := runner(t, nil, "schedule")
	for _, want := range []string{"schedule show", "schedule copy"} {
		if !strings.Contains(out, want) {
			t.Errorf("runner schedule does not list %q:\n%s", want, out)
		}
	}
}
