package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestVideoBuildPreflight checks that video build refuses, before Beam starts, an empty
// or wrong --videos and a wrong --format: exit 1 within 5 s, with one line that names
// the flag and no stack trace, and no output written.
func TestVideoBuildPreflight(t *testing.T) {
	dir := t.TempDir()
	charades := writeFile(t, filepath.Join(dir, "ann.txt"), "clip 0 1##a dog barks\nclip 1 2##a cat meows\n")
	museg := writeFile(t, filepath.Join(dir, "ann.jsonl"),
		`{"problem": "Give the start and end timestamps in seconds of the moment in the video that matches the description 'a dog'", "solution": [[0, 1]], "video": "clip.mp4", "task": "tvg"}`+"\n")
	videos := filepath.Join(dir, "videos")
	writeFile(t, preflightDir(t, videos, "clip.mp4"), "")
	empty := preflightDir(t, filepath.Join(dir, "empty"), "")
	wrong := filepath.Join(dir, "other")
	writeFile(t, preflightDir(t, wrong, "unrelated.mp4"), "")

	tests := []struct {
		name       string
		args       []string
		flag, want string
	}{
		{"empty videos", []string{"--annotations", charades, "--format", "charades", "--videos", empty}, "--videos", "empty"},
		{"missing videos", []string{"--annotations", charades, "--format", "charades", "--videos", filepath.Join(dir, "nope")}, "--videos", "no such folder"},
		{"wrong videos", []string{"--annotations", charades, "--format", "charades", "--videos", wrong}, "--videos", "holds none of"},
		{"charades read as museg", []string{"--annotations", charades, "--format", "museg", "--videos", videos}, "--format museg", "parses as museg"},
		{"museg read as charades", []string{"--annotations", museg, "--format", "charades", "--videos", videos}, "--format charades", "parses as charades"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prefix := filepath.Join(dir, "out-"+strings.ReplaceAll(tc.name, " ", "-"))
			start := time.Now()
			out, err := runner(t, nil, append([]string{"video", "build", "--output", prefix}, tc.args...)...)
			took := time.Since(start)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Errorf("exit: %v, want exit status 1\n%s", err, out)
			}
			if took > 5*time.Second {
				t.Errorf("took %v, want under 5 s", took)
			}
			var msg []string
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				if strings.Contains(l, tc.flag) {
					msg = append(msg, l)
				}
			}
			if len(msg) != 1 || !strings.Contains(msg[0], tc.want) {
				t.Errorf("want one line naming %s and saying %q, got:\n%s", tc.flag, tc.want, out)
			}
			for _, trace := range []string{"panic", "goroutine ", ".go:"} {
				if strings.Contains(out, trace) {
					t.Errorf("output holds %q (a stack trace?):\n%s", trace, out)
				}
			}
			if m, _ := filepath.Glob(filepath.Join(prefix, "*")); len(m) > 0 {
				t.Errorf("preflight failure wrote %v", m)
			}
		})
	}
}

// preflightDir creates dir and returns the path of name in it.
func preflightDir(t *testing.T, dir, name string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}
