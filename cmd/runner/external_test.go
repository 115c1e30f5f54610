package main

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/media/mediatest"
)

// syncBuffer is a bytes.Buffer safe for a process writing while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestExternalWorkerPool runs a job on prism with its DoFns in a separate worker process,
// the way Dataflow runs them: Beam's boot program in worker-pool mode fetches the staged
// runner binary and starts it as the SDK harness. This proves that every DoFn is
// registered and serializes outside the launcher.
func TestExternalWorkerPool(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Beam's boot program")
	}
	dir := t.TempDir()
	boot := filepath.Join(dir, "boot")
	build := exec.Command("go", "build", "-o", boot, "github.com/apache/beam/sdks/v2/go/container")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build boot: %v\n%s", err, out)
	}
	if c, err := net.DialTimeout("tcp", "localhost:50000", time.Second); err == nil {
		c.Close()
		t.Fatal("port 50000 is taken: another worker pool is running (the boot program's port is fixed)")
	}
	var poolLog syncBuffer
	pool := exec.Command(boot, "--worker_pool")
	pool.Dir = dir
	pool.Stdout, pool.Stderr = &poolLog, &poolLog
	// The pool starts one worker process per job, and a worker that finished waits to be
	// killed: kill the whole process group, and do not wait on pipes they hold.
	pool.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pool.WaitDelay = 5 * time.Second
	if err := pool.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		syscall.Kill(-pool.Process.Pid, syscall.SIGKILL)
		pool.Wait()
	}()
	for i := 0; ; i++ {
		if c, err := net.DialTimeout("tcp", "localhost:50000", time.Second); err == nil {
			c.Close()
			break
		}
		if i > 100 {
			t.Fatalf("worker pool did not start:\n%s", poolLog.String())
		}
		time.Sleep(100 * time.Millisecond)
	}

	external := []string{"--environment_type=EXTERNAL", "--environment_config=localhost:50000", "--worker_binary=" + runnerBin}
	prefix := filepath.Join(dir, "out")
	out, err := runner(t, nil, append([]string{"video", "score", "--input", example(t, "museg_rollouts.jsonl"), "--output", prefix}, external...)...)
	if err != nil {
		t.Fatalf("video score on an external worker: %v\n%s\npool:\n%s", err, out, poolLog.String())
	}
	checkCounts(t, readManifest(t, prefix))

	// Every job's DoFns, not only the scorer's, must be registered and serializable.
	video := mediatest.H264BFrames(t)
	annotations := filepath.Join(dir, "ann.txt")
	os.WriteFile(annotations, []byte(filepath.Base(strings.TrimSuffix(video.Path, filepath.Ext(video.Path)))+" 0.5 2.0##a pattern moves.\n"), 0o644)
	jobs := [][]string{
		{"writing", "select", "--input", example(t, "writing_samples.jsonl"), "--output", filepath.Join(dir, "select"), "--top-k", "3"},
		{"video", "build", "--annotations", annotations, "--format", "charades", "--charades-ext", filepath.Ext(video.Path),
			"--videos", filepath.Dir(video.Path), "--output", filepath.Join(dir, "build")},
	}
	for _, args := range jobs {
		out, err := runner(t, nil, append(args, external...)...)
		if err != nil {
			t.Fatalf("%v on an external worker: %v\n%s\npool:\n%s", args[:2], err, out, poolLog.String())
		}
		m := readManifest(t, args[slices.Index(args, "--output")+1])
		if m.Counts["written"] == 0 {
			t.Errorf("%v on an external worker wrote nothing: %v", args[:2], m.Counts)
		}
	}
	log := poolLog.String()
	for _, want := range []string{"starting worker", "go_worker_binary", "Worker exited successfully"} {
		if !strings.Contains(log, want) {
			t.Errorf("worker pool log lacks %q: the DoFns did not run in a worker process\n%s", want, log)
		}
	}
	if _, err := os.Stat(filepath.Join(prefix, "manifest.json")); err != nil {
		t.Error(err)
	}
}
