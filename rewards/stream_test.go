package rewards

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

const goodRow = `{"id": "%s", "completion": "<think>13.9 25.3</think><answer>13.90-25.30</answer>", "solution": [[13.9, 25.3]]}`

// TestScoreStreamAnswersWhileOpen: a caller that writes one row and waits gets its answer
// while its stdin stays open (the old stream buffered to EOF).
func TestScoreStreamAnswersWhileOpen(t *testing.T) {
	plan, _ := PlanFor(1)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := ScoreStream(inR, outW, plan, Compat)
		outW.CloseWithError(err)
		done <- err
	}()
	answers := bufio.NewReader(outR)
	for i, id := range []string{"first", "second", "third"} {
		if _, err := fmt.Fprintf(inW, goodRow+"\n", id); err != nil {
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
			if err := json.Unmarshal([]byte(line), &m); err != nil || m["id"] != id {
				t.Fatalf("answer %d = %q (%v), want the score of %s", i+1, line, err, id)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no answer to row %d within 5 s while stdin stays open", i+1)
		}
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if rest, _ := io.ReadAll(answers); len(rest) != 0 {
		t.Errorf("output after the last answer: %q", rest)
	}
}

// TestScoreStreamBadRowThenGood: every bad row gets its error row (with its id where it
// can be read) and the good rows after it are still scored.
func TestScoreStreamBadRowThenGood(t *testing.T) {
	const max = 1000
	long := `{"id": "long", "completion": "` + strings.Repeat("x", 5000) + `", "solution": [[1, 2]]}`
	tests := []struct {
		name, bad, id, err string
	}{
		{"over the limit", long, "long", "over the limit"},
		{"over the limit, no newline yet", strings.Repeat("y", 3*max), "", "over the limit"},
		{"broken JSON after the id", `{"id": "broken", "completion": oops}`, "broken", "not a JSON object"},
		{"numeric id", `{"id": 7, "completion": [}`, "7", "not a JSON object"},
		{"not JSON", `hello`, "", "not a JSON object"},
		{"no completion", `{"id": "nc", "solution": [[1, 2]]}`, "nc", "no completion"},
		{"invalid UTF-8", "{\"id\": \"u\xff\", \"completion\": \xfe}", "u\uFFFD", "not a JSON object"},
	}
	plan, _ := PlanFor(1)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := fmt.Sprintf(goodRow+"\n%s\r\n\n"+goodRow+"\n"+goodRow, "a", tc.bad, "b", "c")
			var out bytes.Buffer
			st, err := ScoreStreamMax(strings.NewReader(in), &out, plan, Compat, max)
			if err != nil {
				t.Fatal(err)
			}
			if st.Scored != 3 || st.Failed != 1 {
				t.Errorf("stats = %+v, want 3 scored, 1 failed", st)
			}
			var rows []map[string]any
			for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Fatalf("output line %q: %v", line, err)
				}
				rows = append(rows, m)
			}
			if len(rows) != 4 {
				t.Fatalf("%d answers, want 4:\n%s", len(rows), out.String())
			}
			if rows[0]["id"] != "a" || rows[2]["id"] != "b" || rows[3]["id"] != "c" || rows[3]["total"] == nil {
				t.Errorf("good rows not all scored:\n%s", out.String())
			}
			bad := rows[1]
			if id, _ := bad["id"].(string); id != tc.id || bad["line"] != 2.0 || !strings.Contains(fmt.Sprint(bad["error"]), tc.err) {
				t.Errorf("error row = %v, want id %q, line 2, error containing %q", bad, tc.id, tc.err)
			}
		})
	}
}

// TestScoreStreamBoundedMemory: a 50 MB row under a 1 MiB cap is answered with an error
// row without being held (the old stream allocated several times its size).
func TestScoreStreamBoundedMemory(t *testing.T) {
	const long = 50 << 20
	in := io.MultiReader(strings.NewReader(`{"id": "big", "completion": "`), &repeatReader{b: 'x', n: long},
		strings.NewReader("\"}\n"+fmt.Sprintf(goodRow, "after")+"\n"))
	plan, _ := PlanFor(1)
	var out bytes.Buffer
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	st, err := ScoreStreamMax(in, &out, plan, Compat, 1<<20)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if st.Scored != 1 || st.Failed != 1 || !strings.Contains(out.String(), `"id":"big","line":1`) {
		t.Errorf("stats %+v, output %s", st, out.String())
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("a %d-byte row with a 1 MiB cap allocated %d bytes, want under 8 MiB", long, alloc)
	}
}

// repeatReader yields n bytes of b without holding them.
type repeatReader struct {
	b byte
	n int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), r.n)
	for i := range p[:k] {
		p[i] = r.b
	}
	r.n -= k
	return int(k), nil
}

// countingWriter counts Write calls.
type countingWriter struct {
	bytes.Buffer
	writes int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(p)
}

// TestScoreStreamGoldenUnchanged: the golden rows read from a file are answered, in large
// blocks, with exactly the JSON of their MusegScore (the output format trainers parse).
func TestScoreStreamGoldenUnchanged(t *testing.T) {
	cases := loadGolden(t)
	var in strings.Builder
	for rep := 0; rep < 20; rep++ {
		for _, c := range cases {
			b, _ := json.Marshal(map[string]any{"id": c.Name, "completion": c.Completion, "solution": c.GT})
			in.Write(append(b, '\n'))
		}
	}
	for _, phase := range []int{1, 2} {
		plan, _ := PlanFor(phase)
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		for rep := 0; rep < 20; rep++ {
			for _, c := range cases {
				sc, err := Museg(MusegInput{ID: c.Name, Completion: c.Completion, Solution: c.GT}, plan, Compat)
				if err != nil {
					t.Fatal(err)
				}
				enc.Encode(sc)
			}
		}
		var out countingWriter
		st, err := ScoreStream(strings.NewReader(in.String()), &out, plan, Compat)
		if err != nil {
			t.Fatal(err)
		}
		if st.Scored != 20*len(cases) || out.String() != want.String() {
			t.Errorf("phase %d: stats %+v; output differs from the MusegScore encoding", phase, st)
		}
		// one write per 64 KiB of output, and one flush per 64 KiB read from the pipe
		if blocks := (in.Len()+out.Len())/(64<<10) + 2; out.writes > blocks {
			t.Errorf("phase %d: %d writes for a %d-byte file, want at most %d (large blocks)", phase, out.writes, in.Len(), blocks)
		}
	}
}
