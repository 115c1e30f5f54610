package writing

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/transforms"
)

// The memory test's child: RLCURATE_SELECT_MEM_INPUT names the samples, and the output
// goes beside them.
const memChildEnv = "RLCURATE_SELECT_MEM_INPUT"

const (
	memSamples  = 150_000   // ~175 MB of JSONL
	memTopK     = 1000      //
	memLimit    = "400MiB"  // GOMEMLIMIT of the child
	memCeilingB = 900 << 20 // the child's peak RSS must stay under this
)

// TestSelectMemoryIsBoundedByK runs writing select (heuristic judge, top-k 1000) on 150k
// generated samples in a child process under GOMEMLIMIT and fails when the child's peak
// RSS (the kernel's maxrss of the child) passes memCeilingB: a job that holds every
// sample's row until the top k are known needs several GB here.
func TestSelectMemoryIsBoundedByK(t *testing.T) {
	if in := os.Getenv(memChildEnv); in != "" {
		runMemChild(t, in)
		return
	}
	if testing.Short() {
		t.Skip("generates 175 MB and runs a job on it")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "samples.jsonl")
	writeRepeatedSamples(t, in, memSamples)
	cmd := exec.Command(os.Args[0], "-test.run=^TestSelectMemoryIsBoundedByK$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), memChildEnv+"="+in, "GOMEMLIMIT="+memLimit)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, tail(out, 3000))
	}
	peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
	t.Logf("peak RSS of select on %d samples: %d MiB (ceiling %d MiB)", memSamples, peak>>20, memCeilingB>>20)
	if peak > memCeilingB {
		t.Errorf("peak RSS %d MiB > %d MiB: select holds memory in proportion to its input", peak>>20, memCeilingB>>20)
	}
	m := readMemManifest(t, filepath.Join(dir, "out"))
	if m.Counts[layout.CountWritten] != memTopK || m.Counts[layout.CountRead] != memSamples {
		t.Errorf("counts %v, want %d read and %d written", m.Counts, memSamples, memTopK)
	}
}

// runMemChild runs the job on in, writing beside it.
func runMemChild(t *testing.T, in string) {
	out := filepath.Join(filepath.Dir(in), "out")
	p, s := beam.NewPipelineWithRoot()
	o := SelectOptions{Input: in, Output: out, Judge: judge.Config{Kind: "heuristic"}, Strategy: string(ByMargin),
		TopK: memTopK, Shards: 2, OutputFormat: transforms.FormatJSONL}
	if err := Select(s, transforms.Job{Name: "writing select", Prefix: out}, o); err != nil {
		t.Fatal(err)
	}
	if err := ptest.Run(p); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		if i := bytes.Index(b, []byte("VmHWM")); i >= 0 {
			t.Log(string(bytes.SplitN(b[i:], []byte("\n"), 2)[0]))
		}
	}
}

// writeRepeatedSamples writes n rows cycling through examples/writing_samples.jsonl, the
// i-th row's id made "<id>-i" (as scripts/bench-scale.sh does; bad rows stay bad).
func writeRepeatedSamples(t *testing.T, path string, n int) {
	t.Helper()
	src, err := os.ReadFile("../../examples/writing_samples.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]json.RawMessage
	for _, l := range bytes.Split(bytes.TrimSpace(src), []byte("\n")) {
		var r map[string]json.RawMessage
		if json.Unmarshal(l, &r) == nil {
			rows = append(rows, r)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for i := range n {
		r := rows[i%len(rows)]
		var id string
		_ = json.Unmarshal(r["id"], &id)
		r["id"] = json.RawMessage(strconv.Quote(fmt.Sprintf("%s-%d", id, i)))
		b, _ := json.Marshal(r)
		w.Write(append(b, '\n'))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}

func readMemManifest(t *testing.T, prefix string) layout.Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(prefix, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m layout.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func tail(b []byte, n int) []byte { return b[max(0, len(b)-n):] }
