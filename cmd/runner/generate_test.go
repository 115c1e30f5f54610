package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/judge/judgetest"
	"github.com/rlcurate/rlcurate/internal/layout"
)

// answerServer is a scripted OpenAI-compatible server on loopback whose models answer
// "<think>…</think>MODEL on PROMPT" and count each (model, prompt) they answered.
type answerServer struct {
	*judgetest.Server
	mu       sync.Mutex
	answered map[string]int
	hang     bool // answer nothing (requests wait until the client goes away)
	limit    int  // when > 0: hang once this many answers were given
	fail     func(judgetest.Request) bool
}

func newAnswerServer(t *testing.T) *answerServer {
	a := &answerServer{Server: judgetest.New(), answered: map[string]int{}}
	t.Cleanup(a.Close)
	a.Handle(func(r judgetest.Request) judgetest.Reply {
		a.mu.Lock()
		defer a.mu.Unlock()
		total := 0
		for _, n := range a.answered {
			total += n
		}
		if a.hang || (a.limit > 0 && total >= a.limit) {
			return judgetest.Reply{Hang: true}
		}
		if a.fail != nil && a.fail(r) {
			return judgetest.Reply{Status: 500, Content: "model overloaded"}
		}
		a.answered[r.Model+"|"+r.User()]++
		return judgetest.Reply{Content: "<think>plan</think>\n" + answerOf(r.Model, r.User())}
	})
	return a
}

func answerOf(model, prompt string) string { return model + " on " + prompt }

func (a *answerServer) twice() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for k, n := range a.answered {
		if n > 1 {
			out = append(out, fmt.Sprintf("%s ×%d", k, n))
		}
	}
	return out
}

func generateArgs(a *answerServer, input, format, prefix, cache string, more ...string) []string {
	return append([]string{"writing", "generate", "--input", input, "--input-format", format, "--output", prefix,
		"--base-url", a.URL(), "--policy-model", "pol", "--reference-models", "ref-z,ref-a", "--cache", cache,
		"--shards", "1"}, more...)
}

func testdataFile(t *testing.T, name string) string {
	p, err := filepath.Abs(filepath.Join("..", "..", "pipelines", "writing", "testdata", "generate", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGenerateReadersAndCache runs the three readers against a loopback server, checks
// the rows select reads (references in --reference-models order, criteria unchanged,
// thinking stripped), then reruns on the same cache: the server sees no request.
func TestGenerateReadersAndCache(t *testing.T) {
	tests := []struct {
		format, file     string
		more             []string
		written, dead    int64
		refModels        string
		criteriaFrom, id string // the input field the first row's criteria come from, its id
	}{
		{format: "writingbench", file: "writingbench.jsonl", written: 2, dead: 1, refModels: "ref-z,ref-a", criteriaFrom: "checklist", id: "1"},
		{format: "longwriter", file: "longwriter.jsonl", more: []string{"--keep-dataset-answer"}, written: 2, dead: 1, refModels: "ref-z,ref-a,dataset|ref-z,ref-a"},
		{format: "jsonl", file: "prompts.jsonl", written: 3, dead: 1, refModels: "ref-z,ref-a", criteriaFrom: "criteria", id: "p-rain"},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			a := newAnswerServer(t)
			dir := t.TempDir()
			cache, input := filepath.Join(dir, "cache"), testdataFile(t, tc.file)
			out, err := runner(t, nil, generateArgs(a, input, tc.format, filepath.Join(dir, "out"), cache, tc.more...)...)
			if err != nil {
				t.Fatalf("generate: %v\n%s", err, out)
			}
			m := readManifest(t, filepath.Join(dir, "out"))
			checkAccounts(t, m, tc.written+tc.dead, tc.written, 0, tc.dead)
			if !strings.Contains(out, "generate ref-a: ") {
				t.Errorf("no per-model summary:\n%s", out)
			}
			rows := rowsOf(t, filepath.Join(dir, "out"), layout.DataOutput)
			checkGeneratedRows(t, rows, tc.refModels)
			if tc.id != "" {
				checkCriteriaKept(t, input, tc.criteriaFrom, byID(rows, "id")[tc.id])
			}
			asked := a.Requests()
			if want := int(tc.written) * 3; asked != want {
				t.Errorf("first run: %d requests, want %d (3 models × %d prompts)", asked, want, tc.written)
			}
			out, err = runner(t, nil, generateArgs(a, input, tc.format, filepath.Join(dir, "again"), cache, tc.more...)...)
			if err != nil {
				t.Fatalf("rerun: %v\n%s", err, out)
			}
			if a.Requests() != asked {
				t.Errorf("the rerun on the same cache made %d requests, want 0", a.Requests()-asked)
			}
			if !strings.Contains(out, fmt.Sprintf("%d cache hits", tc.written)) {
				t.Errorf("rerun summary shows no cache hits:\n%s", out)
			}
		})
	}
}

// checkGeneratedRows checks each row's answers against the server's script.
// checkGeneratedRows checks each row's answers and reference models: refModels lists the
// accepted orders separated by "|" (a LongWriter row without an assistant turn has no
// "dataset" reference), and at least one row must have the first.
func checkGeneratedRows(t *testing.T, rows []map[string]any, refModels string) {
	t.Helper()
	first := 0
	defer func() {
		if first == 0 {
			t.Errorf("no row has the reference models %s", strings.Split(refModels, "|")[0])
		}
	}()
	for _, r := range rows {
		prompt, _ := r["prompt"].(string)
		if r["policy_response"] != answerOf("pol", prompt) || r["policy_model"] != "pol" {
			t.Errorf("row %v: policy %q", r["id"], r["policy_response"])
		}
		var names []string
		for _, n := range r["reference_models"].([]any) {
			names = append(names, n.(string))
		}
		if got := strings.Join(names, ","); !slices.Contains(strings.Split(refModels, "|"), got) {
			t.Errorf("row %v: reference_models %v, want one of %s", r["id"], names, refModels)
		} else if got == strings.Split(refModels, "|")[0] {
			first++
		}
		refs := r["references"].([]any)
		for i, n := range names {
			if n != "dataset" && refs[i] != answerOf(n, prompt) {
				t.Errorf("row %v: reference %d = %q, want %s's answer", r["id"], i, refs[i], n)
			}
		}
		if u, _ := r["usage"].([]any); len(u) != 3 {
			t.Errorf("row %v: usage %v, want one entry per model", r["id"], r["usage"])
		}
	}
}

// checkCriteriaKept compares a row's criteria with the first input row's field.
func checkCriteriaKept(t *testing.T, input, field string, row map[string]any) {
	t.Helper()
	b, _ := os.ReadFile(input)
	var in map[string]any
	json.Unmarshal(bytes.SplitN(b, []byte("\n"), 2)[0], &in)
	want, _ := json.Marshal(in[field])
	got, _ := json.Marshal(row["criteria"])
	if !bytes.Equal(got, want) {
		t.Errorf("criteria %s\nwant the input's %s", got, want)
	}
}

// TestGenerateRetriesAndDeadLetters: a 429 with Retry-After is waited out, and the prompt
// for which one model keeps answering 500 is dead-lettered naming the model; the others
// are written.
func TestGenerateRetriesAndDeadLetters(t *testing.T) {
	a := newAnswerServer(t)
	a.fail = func(r judgetest.Request) bool { return r.Model == "ref-a" && strings.Contains(r.User(), "haiku") }
	a.Enqueue(judgetest.Reply{Status: 429, RetryAfter: "2"})
	dir := t.TempDir()
	start := time.Now()
	out, err := runner(t, nil, generateArgs(a, testdataFile(t, "prompts.jsonl"), "jsonl", filepath.Join(dir, "out"), filepath.Join(dir, "cache"), "--max-attempts", "2")...)
	if err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	if el := time.Since(start); el < 2*time.Second {
		t.Errorf("finished in %v, before the 429's Retry-After of 2 s", el)
	}
	m := readManifest(t, filepath.Join(dir, "out"))
	checkAccounts(t, m, 4, 2, 0, 2)
	var dead string
	for _, d := range rowsOf(t, filepath.Join(dir, "out"), layout.DeadLetterOutput) {
		if d["stage"] == "generate" {
			dead = fmt.Sprint(d["reason"])
		}
	}
	if !strings.Contains(dead, "model ref-a") || !strings.Contains(dead, "500") {
		t.Errorf("dead letter reason %q, want the model ref-a and its 500", dead)
	}
	broken := 0
	for _, r := range a.Received() {
		if r.Model == "ref-a" && strings.Contains(r.User(), "haiku") {
			broken++
		}
	}
	if broken != 2 {
		t.Errorf("ref-a was asked %d times for the haiku, want --max-attempts 2", broken)
	}
}

// TestGenerateBudgetStop: under --max-cost-usd the job stops with exit 3; the prompt whose
// answers were cached by an earlier run is written, the rest are filtered for the budget,
// and no more than the budget is spent.
func TestGenerateBudgetStop(t *testing.T) {
	a := newAnswerServer(t)
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	// The warm-up asks with the same parameters (--max-tokens is part of the cache key).
	if out, err := runner(t, nil, generateArgs(a, manyPrompts(t, dir, "one.jsonl", 1), "jsonl", filepath.Join(dir, "warm"), cache, "--max-tokens", "100")...); err != nil {
		t.Fatalf("warm-up: %v\n%s", err, out)
	}
	prices := []string{"--max-tokens", "100", "--max-cost-usd", "0.5", "--price", "pol=1000/1000", "--price", "ref-z=1000/1000,ref-a=1000/1000"}
	prefix := filepath.Join(dir, "out")
	out, err := runner(t, nil, generateArgs(a, manyPrompts(t, dir, "many.jsonl", 20), "jsonl", prefix, cache, prices...)...)
	if code := exitCode(err); code != 3 || !strings.Contains(out, "stopped at --max-cost-usd") {
		t.Fatalf("exit %d, want 3 with the budget named:\n%s", code, out)
	}
	m := readManifest(t, prefix)
	if m.Counts["filtered.budget"] == 0 || m.Counts["filtered"] != m.Counts["filtered.budget"] || m.Counts["written"] == 0 {
		t.Errorf("counts %v: want the cached prompt written and the rest filtered for the budget", m.Counts)
	}
	if byID(rowsOf(t, prefix, layout.DataOutput), "id")["q0"] == nil {
		t.Errorf("the prompt answered before the budget run is not published")
	}
	var spent float64
	for _, st := range m.Extra["generate"].(map[string]any) {
		spent += st.(map[string]any)["cost_usd"].(float64)
	}
	if spent > 0.5 || spent == 0 {
		t.Errorf("spent $%g, want something under the $0.5 budget", spent)
	}
}

// manyPrompts writes n jsonl prompts q0..q(n-1).
func manyPrompts(t *testing.T, dir, name string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"id": "q%d", "prompt": "Write a paragraph about the number %d."}`+"\n", i, i)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// cachedReplies counts the replies committed to the cache folder.
func cachedReplies(dir string) int {
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") && !strings.HasPrefix(d.Name(), ".tmp-") {
			n++
		}
		return nil
	})
	return n
}

// TestGenerateResumeAfterKill kills the runner (SIGKILL) once 20 answers are cached and
// the server has stopped answering, reruns it, and checks that no completion was answered
// twice and that every prompt is written.
func TestGenerateResumeAfterKill(t *testing.T) {
	a := newAnswerServer(t)
	dir := t.TempDir()
	cache, prefix, input := filepath.Join(dir, "cache"), filepath.Join(dir, "out"), manyPrompts(t, dir, "many.jsonl", 30)
	a.limit = 20
	cmd := exec.Command(runnerBin, generateArgs(a, input, "jsonl", prefix, cache, "--concurrency", "2")...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(3 * time.Minute); cachedReplies(cache) < 20; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("only %d answers cached:\n%s", cachedReplies(cache), out.String())
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	a.mu.Lock()
	a.limit = 0
	a.mu.Unlock()
	if o, err := runner(t, nil, generateArgs(a, input, "jsonl", prefix, cache, "--concurrency", "2")...); err != nil {
		t.Fatalf("rerun: %v\n%s", err, o)
	}
	if tw := a.twice(); len(tw) > 0 {
		t.Errorf("answered twice after the resume: %v", tw)
	}
	if m := readManifest(t, prefix); m.Counts["written"] != 30 {
		t.Errorf("written %d, want 30", m.Counts["written"])
	}
}
