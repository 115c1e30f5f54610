// Package scaletest holds tests of how rlcurate's jobs scale with their input (issue 15)
// that need a whole job in a child process.
package scaletest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/pipelines/video"
	"github.com/rlcurate/rlcurate/transforms"
)

// TestMain initialises Beam (ptest.Main) in the parent and in the child process alike:
// the child re-runs this binary and its job's workers need the registered DoFns.
func TestMain(m *testing.M) {
	ptest.Main(m)
}

const (
	childEnv = "RLCURATE_SCALETEST_CHILD" // set in the child: the directory holding the input
	rollouts = 300_000
	// maxRSS is the child's peak RSS allowed. Measured: 172 MB for 300k rollouts with
	// GOMEMLIMIT=300MiB, and 500 MB with a Reshuffle of the scored rows inserted (prism
	// then holds every row).
	maxRSS = 320 << 20
)

// TestScoreMemoryIsBounded runs video score on 300k generated rollouts in a child
// process with GOMEMLIMIT=300MiB and fails when the child's peak RSS (wait4's ru_maxrss)
// exceeds maxRSS, or when the job does not account for every rollout.
func TestScoreMemoryIsBounded(t *testing.T) {
	if dir := os.Getenv(childEnv); dir != "" {
		runScore(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("runs a 300k-row job (about 30 s)")
	}
	dir := t.TempDir()
	writeRollouts(t, filepath.Join(dir, "rollouts.jsonl"), rollouts)
	cmd := exec.Command(os.Args[0], "-test.run=^TestScoreMemoryIsBounded$", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+dir, "GOMEMLIMIT=300MiB")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, tail(out))
	}
	if !strings.Contains(string(out), "--- PASS: TestScoreMemoryIsBounded") {
		t.Fatalf("child did not run the job:\n%s", tail(out))
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
	t.Logf("peak RSS of video score on %d rollouts: %d MB", rollouts, rss>>20)
	if rss > maxRSS {
		t.Errorf("peak RSS %d MB > %d MB: a stage holds rows in proportion to the input", rss>>20, maxRSS>>20)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "out", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m layout.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	c := m.Counts
	if c[layout.CountRead] != rollouts || c[layout.CountWritten]+c[layout.CountDeadLettered] != rollouts || c[layout.CountWritten] == 0 {
		t.Errorf("manifest counts %v, want %d read, each written or dead-lettered", c, rollouts)
	}
}

// runScore is the child: video score of DIR/rollouts.jsonl to DIR/out on prism.
func runScore(t *testing.T, dir string) {
	p, s := beam.NewPipelineWithRoot()
	out := filepath.Join(dir, "out")
	job := transforms.Job{Name: "video score", Prefix: out}
	opts := video.ScoreOptions{Input: filepath.Join(dir, "rollouts.jsonl"), Output: out, Phase: 1, Mode: "compat"}
	if err := video.Score(s, job, opts); err != nil {
		t.Fatal(err)
	}
	if err := ptest.Run(p); err != nil {
		t.Fatal(err)
	}
}

// writeRollouts writes n rollouts cycling through examples/museg_rollouts.jsonl, the
// i-th one's id made "<id>-i" (as scripts/bench-scale.sh does).
func writeRollouts(t *testing.T, path string, n int) {
	t.Helper()
	data, err := os.ReadFile("../../examples/museg_rollouts.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(data)), "\n")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		r := rows[i%len(rows)]
		fmt.Fprintln(w, uniqueID(r, i))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// uniqueID returns row with its "id" value suffixed "-i"; a row without one (the
// examples' bad rows) is returned as is.
func uniqueID(row string, i int) string {
	const key = `"id": "`
	start := strings.Index(row, key)
	if start < 0 {
		return row
	}
	end := strings.IndexByte(row[start+len(key):], '"')
	if end < 0 {
		return row
	}
	at := start + len(key) + end
	return fmt.Sprintf("%s-%d%s", row[:at], i, row[at:])
}

// tail is the end of a child's output, enough to see why it failed.
func tail(out []byte) string {
	if len(out) > 4000 {
		out = out[len(out)-4000:]
	}
	return string(out)
}
