package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runnerSplit runs the built binary and returns its stdout and stderr apart, and its exit code.
func runnerSplit(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, runnerBin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// TestCLIJSONSummary checks that a job's last line of stdout is its JSON summary, agreeing
// with the exit code and the manifest, for a success, a job that did not do its job and a
// usage error.
func TestCLIJSONSummary(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte("{\"id\": \"x\"}\nnot json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name         string
		input        string
		wantCode     int
		wantManifest bool
		wantRead     int64
	}{
		{"success", example(t, "museg_rollouts.jsonl"), 0, true, 13},
		{"every row dead-lettered", bad, 3, true, 2},
		{"missing input", filepath.Join(dir, "missing.jsonl"), 1, false, 0},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prefix := filepath.Join(dir, "out", string(rune('a'+i)))
			stdout, stderr, code := runnerSplit(t, "video", "score", "--input", c.input, "--output", prefix, "--phase", "1", "--mode", "compat")
			if code != c.wantCode {
				t.Fatalf("exit %d, want %d\n%s", code, c.wantCode, stderr)
			}
			lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
			var s summary
			if err := json.Unmarshal([]byte(lines[len(lines)-1]), &s); err != nil {
				t.Fatalf("last stdout line is not JSON: %v\nstdout:\n%s", err, stdout)
			}
			if s.Job != "video score" || s.ExitCode != c.wantCode || s.Output != prefix || s.Seconds < 0 || (c.wantManifest && s.Seconds == 0) {
				t.Errorf("summary %+v: want job video score, exit_code %d, output %s, seconds > 0 for a run", s, c.wantCode, prefix)
			}
			if got := s.Manifest != ""; got != c.wantManifest {
				t.Errorf("summary manifest %q, want one: %v", s.Manifest, c.wantManifest)
			}
			if s.Counts["read"] != c.wantRead {
				t.Errorf("summary counts %v, want read %d", s.Counts, c.wantRead)
			}
			if c.wantManifest {
				m := readManifest(t, prefix)
				for k, v := range m.Counts {
					if s.Counts[k] != v {
						t.Errorf("summary count %s = %d, manifest %d", k, s.Counts[k], v)
					}
				}
			}
		})
	}
}

// TestCLICPUProfile checks that --cpuprofile writes a pprof profile (gzip-compressed
// protobuf) of the job.
func TestCLICPUProfile(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "cpu.prof")
	_, stderr, code := runnerSplit(t, "video", "score", "--input", example(t, "museg_rollouts.jsonl"), "--output", filepath.Join(dir, "out"),
		"--phase", "1", "--mode", "compat", "--cpuprofile", prof)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	b, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("%s is not a pprof profile (%d bytes)", prof, len(b))
	}
	out, err := exec.Command("go", "tool", "pprof", "-top", runnerBin, prof).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "flat") {
		t.Errorf("go tool pprof cannot read the profile: %v\n%s", err, out)
	}
}
