package main

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestCLIVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, err := runner(t, nil, args...)
			if code := exitCode(err); code != 0 {
				t.Fatalf("runner %v: exit %d, want 0:\n%s", args, code, out)
			}
			for _, want := range []string{"rlcurate ", "Go ", runtime.Version(), "Beam SDK ", "v2.77.0", "go-astiav ", "v0.38.0", "FFmpeg "} {
				if !strings.Contains(out, want) {
					t.Errorf("runner %v does not show %q:\n%s", args, want, out)
				}
			}
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				if f := strings.Fields(line); len(f) < 2 || strings.Contains(line, "unknown") {
					t.Errorf("runner %v: line %q has no version", args, line)
				}
			}
		})
	}
}

// TestCLIManifestVersions: a job's manifest records what `runner version` prints, under
// config.versions.
func TestCLIManifestVersions(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if o, err := runner(t, nil, "video", "score", "--input", example(t, "museg_rollouts.jsonl"), "--output", out); err != nil {
		t.Fatalf("video score: %v\n%s", err, o)
	}
	m := readManifest(t, out)
	v, ok := m.Config["versions"].(map[string]any)
	if !ok {
		t.Fatalf("manifest config has no versions map: %v", m.Config)
	}
	want := map[string]string{"go": runtime.Version(), "beam": "v2.77.0", "go-astiav": "v0.38.0"}
	for k, w := range want {
		if v[k] != w {
			t.Errorf("manifest versions[%q] = %v, want %q", k, v[k], w)
		}
	}
	for _, k := range []string{"rlcurate", "ffmpeg"} {
		if s, _ := v[k].(string); s == "" || s == "unknown" {
			t.Errorf("manifest versions[%q] = %v, want a version", k, v[k])
		}
	}
	if m.Version == "" {
		t.Errorf("manifest version is empty")
	}
}
