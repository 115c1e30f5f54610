package curriculum

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const (
	memChildEnv = "RLCURATE_MIX_MEMORY_CHILD" // set in the child: the directory of the input
	memFileRows = 100_000                     // lines per file; two sources of two files each
	memTotal    = 1000
	// memMaxRSS is the child's peak RSS allowed. Measured on 400k lines: 132 MB; 397 MB
	// with the per-row records of the paths flattened before the combine (prism then
	// holds every one), and 879 MB with the CoGroupByKey of every row's line number
	// this replaced.
	memMaxRSS = 200 << 20
)

// TestMixMemoryIsBounded runs curriculum mix on 400k lines (two sources of two files)
// in a child process with GOMEMLIMIT=200MiB and fails when the child's peak RSS (wait4's
// ru_maxrss) exceeds memMaxRSS: a group or Flatten of one element per input row would
// make prism hold them all. The child checks the accounting.
func TestMixMemoryIsBounded(t *testing.T) {
	if dir := os.Getenv(memChildEnv); dir != "" {
		o := MixOptions{Total: memTotal, Seed: 3}
		for _, name := range []string{"a", "b"} {
			paths := []string{filepath.Join(dir, name+"1.jsonl"), filepath.Join(dir, name+"2.jsonl")}
			o.Sources = append(o.Sources, Source{Name: name, Paths: paths, Weight: "1"})
		}
		checkAccounts(t, runMix(t, filepath.Join(dir, "out"), o), memTotal)
		return
	}
	if testing.Short() {
		t.Skip("runs a 400k-line job")
	}
	dir := t.TempDir()
	for _, f := range []string{"a1", "a2", "b1", "b2"} {
		writeSource(t, filepath.Join(dir, f+".jsonl"), f, memFileRows)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestMixMemoryIsBounded$", "-test.v")
	cmd.Env = append(os.Environ(), memChildEnv+"="+dir, "GOMEMLIMIT=200MiB")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestMixMemoryIsBounded") {
		if len(out) > 4000 {
			out = out[len(out)-4000:]
		}
		t.Fatalf("child: %v\n%s", err, out)
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
	t.Logf("peak RSS of curriculum mix on %d lines: %d MB", 4*memFileRows, rss>>20)
	if rss > memMaxRSS {
		t.Errorf("peak RSS %d MB > %d MB: a stage holds one element per input row", rss>>20, memMaxRSS>>20)
	}
}
