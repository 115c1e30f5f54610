package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/gcstest"
	"github.com/rlcurate/rlcurate/internal/layout"
)

// runnerBin is this package built once for all tests, the way users run it.
var runnerBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "rlcurate-runner-test")
	if err != nil {
		panic(err)
	}
	runnerBin = filepath.Join(dir, "runner")
	build := exec.Command("go", "build", "-o", runnerBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build runner:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runner runs the built binary with args and env additions and returns its combined
// output.
func runner(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, runnerBin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func readManifest(t *testing.T, prefix string) layout.Manifest {
	t.Helper()
	b, err := blob.ReadFile(context.Background(), blob.Join(prefix, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m layout.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func example(t *testing.T, name string) string {
	p, err := filepath.Abs(filepath.Join("..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHelpListsCommands(t *testing.T) {
	out, err := runner(t, nil, "--help")
	if err != nil {
		t.Fatalf("runner --help: %v\n%s", err, out)
	}
	for _, c := range commands {
		if !strings.Contains(out, c.path) {
			t.Errorf("runner --help does not list %q:\n%s", c.path, out)
		}
	}
	if out, err := runner(t, nil, "video", "frobnicate"); err == nil || !strings.Contains(out, "unknown command") {
		t.Errorf("an unknown command = %v, %s; want a failure naming it", err, out)
	}
}

// wantCounts are the accounting of examples/museg_rollouts.jsonl: 13 rows, 3 that cannot
// be scored (no completion, solution not pairs, not JSON).
var wantCounts = map[string]int64{"read": 13, "written": 10, "filtered": 0, "dead_lettered": 3}

func checkCounts(t *testing.T, m layout.Manifest) {
	t.Helper()
	for k, v := range wantCounts {
		if m.Counts[k] != v {
			t.Errorf("counts[%s] = %d, want %d (%v)", k, m.Counts[k], v, m.Counts)
		}
	}
}

func TestVideoScoreLocal(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "out")
	out, err := runner(t, nil, "video", "score", "--input", example(t, "museg_rollouts.jsonl"), "--output", prefix, "--phase", "2", "--mode", "strict")
	if err != nil {
		t.Fatalf("video score: %v\n%s", err, out)
	}
	checkCounts(t, readManifest(t, prefix))
	if !strings.Contains(out, "dead_lettered") {
		t.Errorf("no summary table in the output:\n%s", out)
	}
	html, err := os.ReadFile(filepath.Join(prefix, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(html, []byte("data-chart=")) || bytes.Contains(html, []byte(`data-points="0"`)) {
		t.Errorf("report.html has no charts or an empty chart")
	}
	if !bytes.Contains(html, []byte("row cannot be scored")) {
		t.Errorf("report.html does not list the dead letters' reasons")
	}
}

func startGCS(t *testing.T) (*fakestorage.Server, string) {
	t.Helper()
	srv, host := gcstest.StartT(t)
	t.Setenv("STORAGE_EMULATOR_HOST", host)
	return srv, host
}

func TestVideoScoreGCS(t *testing.T) {
	srv, host := startGCS(t)
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: "data"})
	rows, err := os.ReadFile(example(t, "museg_rollouts.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := blob.WriteAtomic(context.Background(), "gs://data/in/rollouts.jsonl", rows); err != nil {
		t.Fatal(err)
	}
	env := []string{"STORAGE_EMULATOR_HOST=" + host}
	out, err := runner(t, env, "video", "score", "--input", "gs://data/in/*.jsonl", "--output", "gs://data/out/score")
	if err != nil {
		t.Fatalf("video score on gs://: %v\n%s", err, out)
	}
	checkCounts(t, readManifest(t, "gs://data/out/score"))

	start := time.Now()
	out, err = runner(t, env, "video", "score", "--input", "gs://data/in/*.jsonl", "--output", "gs://missing-bucket/out")
	if err == nil || !strings.Contains(out, "does not exist") {
		t.Errorf("output to a missing bucket = %v, want a clear failure:\n%s", err, out)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("missing bucket took %v to fail; want fail-fast", d)
	}
}

func TestBadInvocations(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing input", []string{"video", "score", "--input", filepath.Join(dir, "nope.jsonl"), "--output", dir}, "no such file"},
		{"no output", []string{"video", "score", "--input", example(t, "museg_rollouts.jsonl")}, "--output is required"},
		{"bad phase", []string{"video", "score", "--input", example(t, "museg_rollouts.jsonl"), "--output", dir, "--phase", "3"}, "phase 3"},
		{"bad mode", []string{"video", "score", "--input", example(t, "museg_rollouts.jsonl"), "--output", dir, "--mode", "lenient"}, "lenient"},
		{"unwritable output", []string{"video", "score", "--input", example(t, "museg_rollouts.jsonl"), "--output", "/proc/nope"}, "not writable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runner(t, nil, tc.args...)
			if err == nil || !strings.Contains(out, tc.want) || strings.Contains(out, "panic") {
				t.Errorf("runner %v = %v, want a clear error containing %q:\n%s", tc.args, err, tc.want, out)
			}
		})
	}
}

func TestRewardsStream(t *testing.T) {
	in, err := os.ReadFile(example(t, "museg_rollouts.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(runnerBin, "rewards", "museg", "--phase", "1")
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("rewards museg: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 13 {
		t.Errorf("rewards museg wrote %d lines for 13 inputs", len(lines))
	}
}
