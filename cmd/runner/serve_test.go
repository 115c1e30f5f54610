package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/store"
)

// startServe starts `runner serve` on a free port and returns its base URL and process.
func startServe(t *testing.T, args ...string) (string, *exec.Cmd, *bytes.Buffer) {
	t.Helper()
	return startServeEnv(t, nil, args...)
}

// startServeEnv is startServe with env added to the environment.
func startServeEnv(t *testing.T, env []string, args ...string) (string, *exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(runnerBin, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string)
	var log bytes.Buffer
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("runner serve exited:\n%s", log.String())
			}
			log.WriteString(l + "\n")
			if _, url, found := strings.Cut(l, "listening on "); found {
				url = strings.Fields(url)[0]
				go func() {
					for l := range lines {
						log.WriteString(l + "\n")
					}
				}()
				return url, cmd, &log
			}
		case <-deadline:
			t.Fatalf("runner serve did not start:\n%s", log.String())
		}
	}
}

// TestServePythonClients runs the verl and TRL example clients with the machine's
// python3 against a live `runner serve`, then stops it with SIGTERM.
func TestServePythonClients(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found")
	}
	dir := t.TempDir()
	state := filepath.Join(dir, "schedule.json")
	samples, _ := filepath.Abs(filepath.Join("..", "..", "internal", "serve", "testdata", "samples.jsonl"))
	url, cmd, log := startServe(t, "--schedule", state, "--samples", samples, "--judge", "heuristic")
	if resp, err := http.Get(url + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	script := `
import json, sys
sys.path.insert(0, sys.argv[1])
from verl_reward import compute_score
from trl_reward import rlcurate_reward
out = {}
gt = {"solution": [[13.9, 25.3]], "phase": 1, "task": "tvg", "duration": None}
out["museg"] = compute_score("museg", "<think>The person eats at 13.9 until 25.3.</think><answer>13.90-25.30</answer><|im_end|>", gt, {"index": "v", "split": "train"})
out["writing"] = compute_score("writing", "Rain fell on the roofs of the town, soft and steady.", {"prompt": "Write about rain.", "target": ["a", "b", "c"], "criteria": "Imagery", "id": "s1"}, {"index": "s1", "split": "train"})
label = json.dumps({"branch": "museg", "solution": [[2.0, 4.0]], "phase": 2, "mode": "compat"})
out["trl"] = rlcurate_reward(["p", "p"], ["<think>x</think><answer>2.00-4.00</answer>", [{"role": "assistant", "content": "no answer"}]], label=[label, label], idx=[0, 1])
try:
    compute_score("writing", "x", {"id": "missing"}, None)
    out["bad"] = "no error"
except Exception as e:
    out["bad"] = str(e)
print(json.dumps(out))
`
	py := exec.Command(python, "-c", script, example(t, "clients"))
	py.Env = append(os.Environ(), "RLCURATE_REWARD_URL="+url, "RLCURATE_REWARD_ATTEMPTS=1")
	raw, err := py.CombinedOutput()
	if err != nil {
		t.Fatalf("python clients: %v\n%s", err, raw)
	}
	var out struct {
		Museg   map[string]float64 `json:"museg"`
		Writing map[string]float64 `json:"writing"`
		TRL     []float64          `json:"trl"`
		Bad     string             `json:"bad"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("python output %s: %v", raw, err)
	}
	// The golden "perfect_single" case: 2.999999 in phase 1.
	if math.Abs(out.Museg["score"]-2.999999) > 2e-6 || math.Abs(out.Museg["scaled"]-2.999999/3) > 1e-6 {
		t.Errorf("verl museg score %v, want 2.999999 (scaled 0.999999667)", out.Museg)
	}
	if s := out.Writing["score"]; s != 0 && s != 0.5 && s != 1 {
		t.Errorf("verl writing score %v, want a paper pairwise reward", s)
	}
	// The writing call was recorded once, under the request id the client sent.
	var recorded struct {
		Requests []string `json:"requests"`
	}
	if b, err := os.ReadFile(state); err != nil || json.Unmarshal(b, &recorded) != nil || len(recorded.Requests) != 1 || len(recorded.Requests[0]) != 32 {
		t.Errorf("schedule requests %q (%v), want the one request id of the verl client", recorded.Requests, err)
	}
	// Phase 2: exact match = format 1 + global 2pr/(p+r+1e-6) + local 1; no answer = 0.
	p := 2 / (2 + 1e-6)
	if len(out.TRL) != 2 || math.Abs(out.TRL[0]-(2+2*p*p/(2*p+1e-6))) > 1e-9 || out.TRL[1] != 0 {
		t.Errorf("TRL rewards %v, want [%v 0]", out.TRL, 2+2*p*p/(2*p+1e-6))
	}
	if !strings.Contains(out.Bad, "400") || !strings.Contains(out.Bad, "missing") {
		t.Errorf("unknown sample: %q, want a 400 error naming it", out.Bad)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("runner serve after SIGTERM: %v\n%s", err, log.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("runner serve did not stop on SIGTERM:\n%s", log.String())
	}
	st, err := (&store.File{Path: state}).Load(context.Background())
	if err != nil || st.Samples["s1"] == nil {
		t.Errorf("schedule after shutdown: %+v, %v; want s1 recorded", st, err)
	}
}

func TestServeBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad order", []string{"serve", "--order", "random"}, "random"},
		{"samples without schedule", []string{"serve", "--samples", "/tmp/x"}, "need both"},
		{"missing samples", []string{"serve", "--judge", "heuristic", "--samples", "/nonexistent/x", "--schedule", "/tmp/s.json"}, "no such file"},
		{"bad listen", []string{"serve", "--listen", "nope"}, "listen nope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runner(t, nil, tc.args...)
			if err == nil || !strings.Contains(out, tc.want) {
				t.Errorf("runner %v = %v, want an error containing %q:\n%s", tc.args, err, tc.want, out)
			}
		})
	}
}
