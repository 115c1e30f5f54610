package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"
	"github.com/rlcurate/rlcurate/internal/blob"
)

// TestCLIHelpGroupsAndExamples: every command's help puts its flags under headings,
// ends with examples that name the command, and shows no zero default.
func TestCLIHelpGroupsAndExamples(t *testing.T) {
	tests := []struct {
		cmd      string
		headings []string
	}{
		{"video build", []string{"Input:", "Output:", "Beam and runner", "Examples:"}},
		{"video score", []string{"Input:", "Output:", "Beam and runner", "Examples:"}},
		{"writing select", []string{"Input:", "Output:", "Judge:", "Examples:"}},
		{"writing generate", []string{"Input:", "Models:", "Examples:"}},
		{"serve", []string{"Judge:", "Performance:", "Examples:"}},
	}
	for _, tc := range tests {
		t.Run(tc.cmd, func(t *testing.T) {
			out, err := runner(t, nil, append(strings.Fields(tc.cmd), "-h")...)
			if code := exitCode(err); code != 0 {
				t.Fatalf("exit %d:\n%s", code, out)
			}
			last := -1
			for _, h := range tc.headings {
				i := strings.Index(out, h)
				if i < 0 || i < last {
					t.Errorf("help of %s: heading %q missing or out of order:\n%s", tc.cmd, h, out)
				}
				last = i
			}
			_, ex, _ := strings.Cut(out, "Examples:")
			if strings.Count(ex, "runner "+tc.cmd) < 1 {
				t.Errorf("help of %s: no example runs it:\n%s", tc.cmd, ex)
			}
			for _, bad := range []string{"(default 0)", `(default "")`, "(default false)", "(default 0s)"} {
				if strings.Contains(out, bad) {
					t.Errorf("help of %s shows %s", tc.cmd, bad)
				}
			}
		})
	}
}

// largeRollouts writes n MUSEG rollouts to a file and returns its path.
func largeRollouts(t *testing.T, n int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "rollouts.jsonl")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		fmt.Fprintf(w, `{"id":"r%d","completion":"<think>x</think><answer>2.50-7.00</answer>","solution":[[2.4,6.9]]}`+"\n", i)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return p
}

// TestCLIQuiet: progress lines appear on stderr while a job runs, and --quiet silences
// them (the job's result is still printed).
func TestCLIQuiet(t *testing.T) {
	in := largeRollouts(t, 300000)
	for _, quiet := range []bool{false, true} {
		args := []string{"video", "score", "--input", in, "--output", filepath.Join(t.TempDir(), "out")}
		if quiet {
			args = append(args, "--quiet")
		}
		cmd := exec.Command(runnerBin, args...)
		cmd.Env = append(os.Environ(), "RLCURATE_PROGRESS_INTERVAL=200ms")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
		progress := strings.Contains(stderr.String(), "] · read ")
		if progress == quiet {
			t.Errorf("quiet=%v: progress lines shown = %v:\n%s", quiet, progress, stderr.String())
		}
		if !strings.Contains(stderr.String(), "written") {
			t.Errorf("quiet=%v: no result table:\n%s", quiet, stderr.String())
		}
	}
}

// TestCLIInterruptHint: Ctrl-C stops a job with a non-zero exit, publishes nothing and
// prints the command that resumes it.
func TestCLIInterruptHint(t *testing.T) {
	in := largeRollouts(t, 3000000)
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(runnerBin, "video", "score", "--input", in, "--output", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second)
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if exitCode(err) == 0 {
			t.Fatalf("interrupted job exited 0:\n%s", stderr.String())
		}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("job did not stop within 2 minutes of SIGINT:\n%s", stderr.String())
	}
	for _, want := range []string{"interrupted", "to resume, run the same command again", "runner video score --input " + in} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if _, err := os.Stat(filepath.Join(out, "manifest.json")); err == nil {
		t.Errorf("an interrupted job published a manifest")
	}
}

// TestCLIConfigAndRerun: --config supplies flags (command-line flags win, an unknown key
// is a usage error naming it) and `runner rerun` repeats the run its manifest records.
func TestCLIConfigAndRerun(t *testing.T) {
	dir := t.TempDir()
	out1, out2 := filepath.Join(dir, "one"), filepath.Join(dir, "two")
	cfg := filepath.Join(dir, "job.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("input: %s\noutput: %s\nphase: 2\nmode: strict\n", example(t, "museg_rollouts.jsonl"), filepath.Join(dir, "ignored"))), 0o644)
	if out, err := runner(t, nil, "video", "score", "--config", cfg, "--output", out1); err != nil {
		t.Fatalf("video score --config: %v\n%s", err, out)
	}
	m := readManifest(t, out1)
	if m.Config["phase"] != float64(2) || m.Config["mode"] != "strict" {
		t.Errorf("config from --config: phase %v mode %v, want 2 strict", m.Config["phase"], m.Config["mode"])
	}
	if _, err := os.Stat(filepath.Join(dir, "ignored")); err == nil {
		t.Errorf("--output from the config file won over the command line")
	}
	input, _ := os.ReadFile(example(t, "museg_rollouts.jsonl"))
	html, _ := os.ReadFile(filepath.Join(out1, "report.html"))
	for _, want := range []string{"Run metadata", fmt.Sprintf("sha256 %x", sha256.Sum256(input)), "runner video score", "--mode=strict", "go1.", "started", "duration"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("report.html: no %q in its metadata block", want)
		}
	}
	out, err := runner(t, nil, "rerun", filepath.Join(out1, "manifest.json"), "--output", out2)
	if err != nil {
		t.Fatalf("rerun: %v\n%s", err, out)
	}
	m2 := readManifest(t, out2)
	if m2.Config["phase"] != float64(2) || m2.Config["mode"] != "strict" || m2.Counts["written"] != m.Counts["written"] {
		t.Errorf("rerun: config %v counts %v, want the first run's (%v, %v)", m2.Config, m2.Counts, m.Config, m.Counts)
	}

	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"inptu": "x"}`), 0o644)
	out, err = runner(t, nil, "video", "score", "--config", bad, "--output", out1)
	if exitCode(err) != 1 || !strings.Contains(out, `did you mean "--input"?`) {
		t.Errorf("unknown config key: exit %d, want 1 with a suggestion:\n%s", exitCode(err), out)
	}
	out, err = runner(t, nil, "rerun", filepath.Join(dir, "nothing", "manifest.json"))
	if exitCode(err) != 1 {
		t.Errorf("rerun of a missing manifest: exit %d, want 1:\n%s", exitCode(err), out)
	}
}

// TestCLIDataflowDryRun: with --runner dataflow, local paths, a missing or dynamic
// worker binary and a staging bucket that does not exist are refused in under 2 s, and --dry_run prints the plan and exits 0
// without starting anything.
func TestCLIDataflowDryRun(t *testing.T) {
	srv, host := startGCS(t)
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: "data"})
	rows, _ := os.ReadFile(example(t, "museg_rollouts.jsonl"))
	if err := blob.WriteAtomic(context.Background(), "gs://data/in/rollouts.jsonl", rows); err != nil {
		t.Fatal(err)
	}
	env := []string{"STORAGE_EMULATOR_HOST=" + host}
	df := []string{"--runner", "dataflow", "--project", "p", "--region", "us-central1", "--staging_location", "gs://data/staging"}
	score := func(extra ...string) []string {
		return append(append([]string{"video", "score", "--input", "gs://data/in/rollouts.jsonl", "--output", "gs://data/out"}, df...), extra...)
	}
	local := append(append([]string{"video", "score", "--input", example(t, "museg_rollouts.jsonl"), "--output", "gs://data/out"}, df...), "--worker_binary", runnerBin, "--dry_run")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"local input", local, 1, "--input " + example(t, "museg_rollouts.jsonl") + ": with --runner dataflow every path must be gs://"},
		{"no worker binary", score("--dry_run"), 1, "needs --worker_binary"},
		{"dynamic worker binary", score("--worker_binary", "/usr/bin/python3", "--dry_run"), 1, "needs the shared library"},
		{"not an executable", score("--worker_binary", example(t, "museg_rollouts.jsonl"), "--dry_run"), 1, "not a Linux executable"},
		{"no staging bucket", append(score("--worker_binary", runnerBin, "--dry_run"), "--staging_location", "gs://no-such-bucket/staging"), 1, "--staging_location: gs://no-such-bucket does not exist"},
		{"dry run", score("--worker_binary", runnerBin, "--dry_run"), 0, "dry run: video score on Dataflow"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			out, err := runner(t, env, tc.args...)
			took := time.Since(start)
			if code := exitCode(err); code != tc.code || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d, want %d with %q:\n%s", code, tc.code, tc.want, out)
			}
			if tc.code == 1 && took > 2*time.Second {
				t.Errorf("refused after %v, want under 2 s", took)
			}
			if strings.Contains(out, "goroutine ") {
				t.Errorf("stack trace:\n%s", out)
			}
		})
	}
	out, _ := runner(t, env, score("--worker_binary", runnerBin, "--dry_run")...)
	for _, want := range []string{"stages (", "workers:", "gs://data/out/data/", "gs://data/out/manifest.json"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	if _, err := blob.ReadFile(context.Background(), "gs://data/out/manifest.json"); err == nil {
		t.Errorf("a dry run wrote a manifest")
	}
}

// TestCLILimit: --limit N reads the first N records of the main input, counted as read,
// in every job that has one; the rest of the input is not read.
func TestCLILimit(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"video score", []string{"video", "score", "--input", example(t, "museg_rollouts.jsonl")}},
		{"writing select", []string{"writing", "select", "--input", example(t, "writing_samples.jsonl"), "--top-k", "2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append(tc.args, "--output", out, "--limit", "3")
			if o, err := runner(t, nil, args...); err != nil {
				t.Fatalf("%v: %v\n%s", args, err, o)
			}
			m := readManifest(t, out)
			if m.Counts["read"] != 3 {
				t.Errorf("--limit 3: read %d, want 3 (counts %v)", m.Counts["read"], m.Counts)
			}
			if got := m.Counts["written"] + m.Counts["filtered"] + m.Counts["dead_lettered"]; got != 3 {
				t.Errorf("--limit 3: written+filtered+dead_lettered = %d, want 3", got)
			}
		})
	}
}

// TestWritingSelectReportCompares: the select report splits the margins into selected
// and rejected and shows a selected sample's prompt with both answers.
func TestWritingSelectReportCompares(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if o, err := runner(t, nil, "writing", "select", "--input", example(t, "writing_samples.jsonl"), "--output", out, "--top-k", "2"); err != nil {
		t.Fatalf("%v\n%s", err, o)
	}
	page, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	m := readManifest(t, out)
	var first struct {
		ID     string `json:"id"`
		Prompt string `json:"prompt"`
	}
	for _, sh := range m.Shards {
		if sh.Output == "data" {
			b, _ := os.ReadFile(filepath.Join(out, sh.Path))
			line, _, _ := strings.Cut(string(b), "\n")
			json.Unmarshal([]byte(line), &first)
			break
		}
	}
	rejected := m.Counts["filtered"] // scored but not selected (dead letters have no score)
	for _, want := range []string{"Selected versus rejected", "selected (n=2)", fmt.Sprintf("rejected (n=%d)", rejected), "Sample " + first.ID} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if first.Prompt == "" || !strings.Contains(string(page), html.EscapeString(first.Prompt[:min(40, len(first.Prompt))])) {
		t.Errorf("report does not show the prompt of selected sample %q", first.ID)
	}
}
