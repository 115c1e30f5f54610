package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
)

const musegRow = `{"id": "%s", "completion": "<think>13.9 25.3</think><answer>13.90-25.30</answer>", "solution": [[13.9, 25.3]]}`

// TestRewardsMusegAnswersWhileOpen: the binary answers each row while stdin stays open,
// a bad row gets an error line with its id and the good rows after it are still scored.
func TestRewardsMusegAnswersWhileOpen(t *testing.T) {
	cmd := exec.Command(runnerBin, "rewards", "museg", "--phase", "1", "--max-line-bytes", "4096")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	answers := bufio.NewReader(stdout)
	long := `{"id": "long", "completion": "` + strings.Repeat("x", 10000) + `"}`
	steps := []struct{ in, id, field string }{
		{fmt.Sprintf(musegRow, "one"), "one", "total"},
		{`{"id": "bad", "completion": 5, "solution": [[1, 2]]}`, "bad", "error"},
		{long, "long", "error"},
		{fmt.Sprintf(musegRow, "two"), "two", "total"},
	}
	for i, st := range steps {
		if _, err := io.WriteString(stdin, st.in+"\n"); err != nil {
			t.Fatal(err)
		}
		got := make(chan string, 1)
		go func() {
			line, _ := answers.ReadString('\n')
			got <- line
		}()
		select {
		case line := <-got:
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil || m["id"] != st.id || m[st.field] == nil {
				t.Fatalf("answer %d = %q, want id %s with %s", i+1, line, st.id, st.field)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("no answer to row %d while stdin stays open", i+1)
		}
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("rewards museg: %v", err)
	}
}

// TestVideoScoreLongLine: a 2 MB line under --max-line-bytes 1048576 among good rows is one
// dead letter line_too_long with its line number, and the counts balance (the old reader
// read it, and failed the job past 64 MiB).
func TestVideoScoreLongLine(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "rollouts.jsonl")
	rows := []string{fmt.Sprintf(musegRow, "a"), fmt.Sprintf(musegRow, "b"),
		`{"id": "huge", "completion": "` + strings.Repeat("x", 2<<20) + `", "solution": [[1, 2]]}`,
		fmt.Sprintf(musegRow, "c"), "{\"id\": \"utf\xff\", \"completion\": \"x\", \"solution\": [[1, 2]]}", fmt.Sprintf(musegRow, "d")}
	if err := os.WriteFile(in, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(dir, "out")
	out, err := runner(t, nil, "video", "score", "--input", in, "--output", prefix, "--max-line-bytes", "1048576")
	if err != nil {
		t.Fatalf("video score: %v\n%s", err, out)
	}
	m := readManifest(t, prefix)
	for k, v := range map[string]int64{"read": 6, "written": 4, "dead_lettered": 2} {
		if m.Counts[k] != v {
			t.Errorf("counts[%s] = %d, want %d (%v)", k, m.Counts[k], v, m.Counts)
		}
	}
	reasons := map[int64]string{}
	for _, sh := range m.Shards {
		if sh.Output != layout.DeadLetterOutput {
			continue
		}
		b, err := blob.ReadFile(t.Context(), blob.Join(prefix, sh.Path))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var d layout.DeadLetter
			if line != "" && json.Unmarshal([]byte(line), &d) == nil {
				reasons[d.Line] = d.Reason
			}
		}
	}
	if reasons[3] != "line_too_long" || reasons[5] != "invalid_utf8" {
		t.Errorf("dead letters by line = %v, want 3: line_too_long, 5: invalid_utf8", reasons)
	}
}
