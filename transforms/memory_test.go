package transforms

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/rlcurate/rlcurate/internal/layout"
)

func init() {
	register.DoFn2x0[[]byte, func(string)](&memRowsFn{})
	register.Emitter1[string]()
}

const (
	memChildEnv  = "RLCURATE_MEMORY_CHILD" // set to the output prefix in the child
	memRows      = 300_000
	memRowBytes  = 1000
	memDataBytes = memRows * memRowBytes // 300 MB of rows
	// memLimitBytes is the child's hard RSS bound: half of its data, of which the process
	// itself (prism, the SDK harness, the fake GCS server) takes about 80 MB. The writer
	// that grouped whole shards held all of the data, and more, at once.
	memLimitBytes = memDataBytes / 2
)

// memRowsFn emits memRows JSON rows of memRowBytes bytes each, from one impulse.
type memRowsFn struct{}

func (*memRowsFn) ProcessElement(_ []byte, emit func(string)) {
	pad := strings.Repeat("x", memRowBytes)
	for i := range memRows {
		head := fmt.Sprintf(`{"id":"m%09d","pad":"`, i*7919%memRows)
		emit(head + pad[:memRowBytes-len(head)-2] + `"}`)
	}
}

// TestWriteMemoryBounded writes 300 MB of rows in a child process with a small spill
// budget and GOMEMLIMIT, killing it if its resident memory passes half of the data,
// and checks its peak RSS (rusage) against the same bound: a regression to a writer
// that holds shards in memory fails. Not timed.
func TestWriteMemoryBounded(t *testing.T) {
	if prefix := os.Getenv(memChildEnv); prefix != "" {
		writeMemoryChild(t, prefix)
		return
	}
	if testing.Short() {
		t.Skip("writes 300 MB")
	}
	prefix := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(os.Args[0], "-test.run=^TestWriteMemoryBounded$", "-test.count=1")
	cmd.Env = append(os.Environ(), memChildEnv+"="+prefix, "GOMEMLIMIT=64MiB")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := make(chan int64, 1)
	go watchRSS(cmd.Process.Pid, memLimitBytes, killed)
	err := cmd.Wait()
	select {
	case rss := <-killed:
		t.Fatalf("the writer reached %d MB resident for %d MB of rows (limit %d MB); killed", rss>>20, memDataBytes>>20, memLimitBytes>>20)
	default:
	}
	if err != nil {
		t.Fatalf("child: %v\n%s", err, tail(out.String(), 3000))
	}
	peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
	t.Logf("peak RSS %d MB for %d MB of rows", peak>>20, memDataBytes>>20)
	if peak > memLimitBytes {
		t.Errorf("peak RSS %d MB for %d MB of rows, want under %d MB", peak>>20, memDataBytes>>20, memLimitBytes>>20)
	}
	m := checkOutput(t, prefix)
	if m.Counts[layout.CountWritten] != memRows {
		t.Errorf("%d rows written, want %d", m.Counts[layout.CountWritten], memRows)
	}
}

// writeMemoryChild is the child's job: memRowsFn's rows through WriteJSONL, spilled
// 1 MiB at a time, with a manifest.
func writeMemoryChild(t *testing.T, prefix string) {
	SpillBudget = 1 << 20
	p, s := beam.NewPipelineWithRoot()
	rows := beam.ParDo(s, &memRowsFn{}, beam.Impulse(s))
	data := WriteJSONL(s, Sink{Prefix: prefix, Output: layout.DataOutput, Name: "rows", Shards: 4}, rows)
	WriteManifest(s, Job{Name: "memory", Version: "t", Prefix: prefix}, Accounts{
		Tallies: []beam.PCollection{Tally(s, layout.CountRead, rows)},
		Shards:  []beam.PCollection{data},
	})
	if err := ptest.Run(p); err != nil {
		t.Fatal(err)
	}
}

// watchRSS polls the resident memory of pid and kills it, sending the RSS on killed,
// once it passes limit. It returns when the process is gone.
func watchRSS(pid int, limit int64, killed chan<- int64) {
	for {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				if kb<<10 > limit {
					killed <- kb << 10
					syscall.Kill(pid, syscall.SIGKILL)
					return
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
