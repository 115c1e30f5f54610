package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTwoRunsOneOutput: a second run into a PREFIX that a running job is writing to is
// refused at once (exit 1, one line naming --output) instead of publishing over it and
// removing the first run's shards; the first run finishes and publishes untouched, and
// the lock dies with its holder (a later run into the same PREFIX succeeds).
func TestTwoRunsOneOutput(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "out")
	first := exec.Command(runnerBin, "video", "score", "--input", bigRollouts(t, 200000), "--output", prefix, "--shards", "3")
	var out bytes.Buffer
	first.Stdout, first.Stderr = &out, &out
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the first run is under way: its output folder exists, and a moment more.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(prefix); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the first run never created its output:\n%s", out.String())
		}
	}
	time.Sleep(500 * time.Millisecond)
	started := time.Now()
	second, err := runner(t, nil, "video", "score", "--input", example(t, "museg_rollouts.jsonl"), "--output", prefix)
	if code := runnerExit(t, err); code != 1 || !strings.Contains(second, "--output") || !strings.Contains(second, "another rlcurate run") {
		t.Errorf("second run into a busy PREFIX: exit %d, want 1 naming --output and the other run:\n%s", code, second)
	}
	if d := time.Since(started); d > 20*time.Second {
		t.Errorf("the refusal took %v", d)
	}
	if err := first.Wait(); err != nil {
		t.Fatalf("the first run failed: %v\n%s", err, out.String())
	}
	if m := readManifest(t, prefix); m.Counts["read"] != 200000 {
		t.Errorf("the first run's manifest counts %v, want its 200000 rows read", m.Counts)
	}
	if again, err := runner(t, nil, "video", "score", "--input", example(t, "museg_rollouts.jsonl"), "--output", prefix); err != nil {
		t.Errorf("a run after the first ended was refused: %v\n%s", err, again)
	}
}
