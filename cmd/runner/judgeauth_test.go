package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/judge/judgetest"
)

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestJudgePreflightRefusesKey: a judge whose GET /models answers 401 stops writing
// select before anything starts (exit 1), in under 5 s, with one line naming the flag and
// without spending a completion.
func TestJudgePreflightRefusesKey(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "samples.jsonl")
	writeSamples(t, in, 3, 2)
	srv := judgetest.New()
	defer srv.Close()
	srv.SetModels(401)
	start := time.Now()
	out, err := runner(t, []string{"OPENAI_API_KEY=sk-test-secret"}, append([]string{"writing", "select", "--input", in,
		"--output", filepath.Join(dir, "out"), "--top-k", "1"}, judgeArgs(srv)...)...)
	if code := exitCode(err); code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("preflight took %v", d)
	}
	if !strings.Contains(out, "--judge-base-url") || !strings.Contains(out, "401") || strings.Contains(out, "sk-test-secret") {
		t.Errorf("output does not name the flag and status (or leaks the key):\n%s", out)
	}
	if srv.Requests() != 0 || srv.ModelsCalls() != 1 {
		t.Errorf("%d completions, %d GET /models; want 0 and 1", srv.Requests(), srv.ModelsCalls())
	}
}

// TestJudgeRefusesKeyDuringJob: preflight passes (404 on /models), then the judge answers
// 401: the job fails with exit 2 and a clear message, without retrying or sending the
// other requests.
func TestJudgeRefusesKeyDuringJob(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "samples.jsonl")
	writeSamples(t, in, 10, 2)
	srv := judgetest.New()
	defer srv.Close()
	srv.Handle(func(judgetest.Request) judgetest.Reply { return judgetest.Reply{Status: 401, Content: "invalid key"} })
	out, err := runner(t, []string{"OPENAI_API_KEY=sk-test-secret"}, append([]string{"writing", "select", "--input", in,
		"--output", filepath.Join(dir, "out"), "--top-k", "1"}, judgeArgs(srv, "--judge-concurrency", "1")...)...)
	if code := exitCode(err); code != 2 {
		t.Fatalf("exit %d, want 2\n%s", code, out)
	}
	if !strings.Contains(out, "refused the API key") || !strings.Contains(out, "--judge-base-url") {
		t.Errorf("no clear message:\n%s", out)
	}
	if n := srv.Requests(); n > 1 {
		t.Errorf("%d completion requests after a 401, want 1 (no retry, the rest not sent)", n)
	}
}
