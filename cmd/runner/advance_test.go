package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// advanceLabels writes n winning label rows of samples prefix-0 .. prefix-(n-1) into
// dir/name/part.jsonl (a folder, as writing label's PREFIX/data) and returns the folder.
func advanceLabels(t *testing.T, dir, name, prefix string, n int) string {
	t.Helper()
	var b bytes.Buffer
	for i := range n {
		row, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("%s-%d/r", prefix, i), "sample_id": fmt.Sprintf("%s-%d", prefix, i),
			"reference_index": 0, "rungs": 2, "verdicts": []string{"B"}, "order": "policy-second", "outcome": "win", "reward": 1, "step": i, "split": "train"})
		b.Write(append(row, '\n'))
	}
	folder := filepath.Join(dir, name)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, "part.jsonl"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return folder
}

// advanceState reads a state file's pointers and the number of moves of each sample.
func advanceState(t *testing.T, p string) (pointers, moves map[string]int) {
	t.Helper()
	var st struct {
		Samples map[string]struct{ Pointer int }
		History []struct{ Sample string }
	}
	b, err := os.ReadFile(p)
	if err != nil || json.Unmarshal(b, &st) != nil {
		t.Fatalf("state %s: %v %q", p, err, b)
	}
	pointers, moves = map[string]int{}, map[string]int{}
	for s, ss := range st.Samples {
		pointers[s] = ss.Pointer
	}
	for _, mv := range st.History {
		moves[mv.Sample]++
	}
	return pointers, moves
}

// TestWritingAdvanceConcurrent: two `runner writing advance` processes at once on one
// state, 40 + 40 distinct labels, six times: 80 samples moved exactly once each.
func TestWritingAdvanceConcurrent(t *testing.T) {
	for trial := range 6 {
		dir := t.TempDir()
		state := filepath.Join(dir, "state.json")
		var wg sync.WaitGroup
		outs, errs := make([]string, 2), make([]error, 2)
		for i, prefix := range []string{"a", "b"} {
			labels := advanceLabels(t, dir, prefix, prefix, 40)
			wg.Add(1)
			go func() {
				defer wg.Done()
				outs[i], errs[i] = runner(t, nil, "writing", "advance", "--schedule", state, "--input", labels, "--output", state)
			}()
		}
		wg.Wait()
		for i := range errs {
			if errs[i] != nil || !strings.Contains(outs[i], "40 moves, 0 already applied") {
				t.Fatalf("trial %d advance %d: %v\n%s", trial, i, errs[i], outs[i])
			}
		}
		pointers, moves := advanceState(t, state)
		for _, prefix := range []string{"a", "b"} {
			for i := range 40 {
				s := fmt.Sprintf("%s-%d", prefix, i)
				if pointers[s] != 1 || moves[s] != 1 {
					t.Errorf("trial %d: sample %s at %d after %d moves, want 1 after 1", trial, s, pointers[s], moves[s])
				}
			}
		}
		if len(pointers) != 80 || t.Failed() {
			t.Fatalf("trial %d: %d samples in the state, want 80 each moved once", trial, len(pointers))
		}
	}
}

// TestWritingAdvanceTwice: the same labels twice: the second run moves nothing, says so,
// exits 0 and leaves the state and STATE.prev as they were.
func TestWritingAdvanceTwice(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	labels := advanceLabels(t, dir, "lab", "a", 40)
	args := []string{"writing", "advance", "--schedule", state, "--input", labels, "--output", state}
	if out, err := runner(t, nil, args...); err != nil || !strings.Contains(out, "40 moves, 0 already applied") {
		t.Fatalf("first advance: %v\n%s", err, out)
	}
	gen1, _ := os.ReadFile(state)
	out, err := runner(t, nil, args...)
	if err != nil || !strings.Contains(out, "0 moves, 40 already applied") {
		t.Fatalf("second advance: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(state); !bytes.Equal(b, gen1) {
		t.Errorf("the second advance changed the state")
	}
	more := advanceLabels(t, dir, "lab2", "b", 2)
	if out, err := runner(t, nil, "writing", "advance", "--schedule", state, "--input", more, "--output", state); err != nil {
		t.Fatalf("third advance: %v\n%s", err, out)
	}
	if prev, _ := os.ReadFile(state + ".prev"); !bytes.Equal(prev, gen1) {
		t.Errorf("%s.prev does not hold the generation the third advance replaced", state)
	}
	pointers, moves := advanceState(t, state)
	for s, p := range pointers {
		if p != 1 || moves[s] != 1 {
			t.Errorf("sample %s at %d after %d moves, want 1 after 1", s, p, moves[s])
		}
	}
}

// TestWritingAdvanceBadState: a 0-byte, null, unparsable or out-of-range state is refused
// with exit 1 and a clear message, and left byte-identical without a .prev.
func TestWritingAdvanceBadState(t *testing.T) {
	dir := t.TempDir()
	labels := advanceLabels(t, dir, "lab", "a", 3)
	tests := []struct{ name, data, want string }{
		{"0 bytes", "", "empty"},
		{"null", "null\n", "null"},
		{"garbage", "<html>503</html>", "not a state"},
		{"pointer beyond its ladder", `{"version": 1, "samples": {"a-0": {"pointer": 3, "rungs": 2}}, "history": []}`, "beyond its ladder"},
		{"unknown version", `{"version": 2, "samples": {}, "history": []}`, "unknown version 2"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			state := filepath.Join(dir, fmt.Sprintf("state%d.json", i))
			if err := os.WriteFile(state, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := runner(t, nil, "writing", "advance", "--schedule", state, "--input", labels, "--output", state)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(out, "bad schedule state") || !strings.Contains(out, tc.want) {
				t.Errorf("advance = %v, want exit 1 naming a bad schedule state (%q):\n%s", err, tc.want, out)
			}
			if b, _ := os.ReadFile(state); !bytes.Equal(b, []byte(tc.data)) {
				t.Errorf("state = %q, want it untouched %q", b, tc.data)
			}
			if _, err := os.Stat(state + ".prev"); err == nil {
				t.Errorf("a refused advance wrote %s.prev", state)
			}
		})
	}
}

// TestWritingAdvanceReportAndSummary: writing advance ends stdout with its JSON summary
// (the moves in its counts) and writes a report of the levels before and after next to
// the state; --report puts it elsewhere.
func TestWritingAdvanceReportAndSummary(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	labels := advanceLabels(t, dir, "lab", "a", 5) // 5 samples of 2 rungs, each one win: level 0 -> 1
	stdout, stderr, code := runnerSplit(t, "writing", "advance", "--schedule", state, "--input", labels, "--output", state)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	var s summary
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &s); err != nil {
		t.Fatalf("last stdout line is not a JSON summary: %v\n%s", err, stdout)
	}
	if s.Job != "writing advance" || s.ExitCode != 0 || s.Counts["moves"] != 5 || s.Counts["labels"] != 5 || s.Output != state {
		t.Errorf("summary = %+v, want writing advance, exit 0, 5 labels, 5 moves, output %s", s, state)
	}
	page, err := os.ReadFile(state + ".report.html")
	if err != nil {
		t.Fatalf("no report next to the state: %v", err)
	}
	for _, want := range []string{"Levels before and after", "<td>0</td><td class=\"num\">5</td><td class=\"num\">0</td><td class=\"num\">-5</td>",
		"<td>1</td><td class=\"num\">0</td><td class=\"num\">5</td><td class=\"num\">&#43;5</td>", "Run metadata"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	elsewhere := filepath.Join(dir, "r", "advance.html")
	more := advanceLabels(t, dir, "lab2", "b", 1)
	if _, stderr, code := runnerSplit(t, "writing", "advance", "--schedule", state, "--input", more, "--output", state, "--report", elsewhere); code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if _, err := os.Stat(elsewhere); err != nil {
		t.Errorf("--report %s: %v", elsewhere, err)
	}
}
