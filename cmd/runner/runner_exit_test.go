package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runnerExit returns the runner's exit code from runner's error.
func runnerExit(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("runner did not run: %v", err)
	}
	return ee.ExitCode()
}

// TestExitAllDeadLettered: a job whose every record is dead-lettered publishes its
// outputs and manifest, then exits 3 naming the dead letters' top reason.
func TestExitAllDeadLettered(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(in, []byte("not json\nnor this\n{\"id\": \"x\"\n"), 0o644)
	prefix := filepath.Join(dir, "out")
	out, err := runner(t, nil, "video", "score", "--input", in, "--output", prefix)
	if code := runnerExit(t, err); code != 3 {
		t.Fatalf("exit %d, want 3:\n%s", code, out)
	}
	m := readManifest(t, prefix)
	if m.Counts["dead_lettered"] != 3 || m.Counts["written"] != 0 {
		t.Errorf("counts %v, want 3 dead-lettered and nothing written", m.Counts)
	}
	if !strings.Contains(out, "did not do its job") || !strings.Contains(out, "3 dead-lettered") || !strings.Contains(out, "× ") {
		t.Errorf("output does not say why, with the dead letters' reasons:\n%s", out)
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("ANSI colour on a stderr that is not a terminal:\n%q", out)
	}
}

// TestExitNothingWritten: a job that reads records and writes none (all filtered) exits 3.
func TestExitNothingWritten(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "out")
	out, err := runner(t, nil, "writing", "select", "--input", example(t, "writing_samples.jsonl"), "--output", prefix, "--min-margin", "1000")
	if code := runnerExit(t, err); code != 3 {
		t.Fatalf("exit %d, want 3:\n%s", code, out)
	}
	m := readManifest(t, prefix)
	if m.Counts["read"] == 0 || m.Counts["written"] != 0 {
		t.Errorf("counts %v, want records read and none written", m.Counts)
	}
	if !strings.Contains(out, "nothing written from") {
		t.Errorf("output does not say nothing was written:\n%s", out)
	}
}

// TestExitDeadLetterFraction: one bad line among 13 good ones passes the default
// fraction (exit 0) and fails --max-dead-letter-fraction 0.05 (exit 3).
func TestExitDeadLetterFraction(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(example(t, "museg_rollouts.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "mixed.jsonl")
	os.WriteFile(in, append(good, []byte("not json\n")...), 0o644)
	for _, tc := range []struct {
		args []string
		code int
	}{{nil, 0}, {[]string{"--max-dead-letter-fraction", "0.05"}, 3}} {
		args := append([]string{"video", "score", "--input", in, "--output", filepath.Join(dir, "out")}, tc.args...)
		out, err := runner(t, nil, args...)
		if code := runnerExit(t, err); code != tc.code {
			t.Errorf("runner %v: exit %d, want %d:\n%s", tc.args, code, tc.code, out)
		}
	}
}

// TestExitUsage: usage and preflight errors exit 1; nothing is started.
func TestExitUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"video", "score", "--no-such-flag"},
		{"no", "such", "command"},
		{"video", "score", "--input", filepath.Join(dir, "nope.jsonl"), "--output", dir},
		{"video", "score", "--input", example(t, "museg_rollouts.jsonl"), "--output", dir, "--max-dead-letter-fraction", "2"},
	} {
		out, err := runner(t, nil, args...)
		if code := runnerExit(t, err); code != 1 {
			t.Errorf("runner %v: exit %d, want 1:\n%s", args, code, out)
		}
	}
	out, _ := runner(t, nil, "help")
	if !strings.Contains(out, "exit codes:") || !strings.Contains(out, "3  the job finished") {
		t.Errorf("runner help does not list the exit codes:\n%s", out)
	}
}
