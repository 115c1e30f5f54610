package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/judge/judgetest"
	"github.com/rlcurate/rlcurate/internal/layout"
)

// rowsOf reads every row of one output of a finished job.
func rowsOf(t *testing.T, prefix, out string) []map[string]any {
	t.Helper()
	m := readManifest(t, prefix)
	var rows []map[string]any
	for _, sh := range m.Shards {
		if sh.Output != out {
			continue
		}
		b, err := blob.ReadFile(context.Background(), blob.Join(prefix, sh.Path))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			var r map[string]any
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// byID indexes rows by a string field.
func byID(rows []map[string]any, field string) map[string]map[string]any {
	m := map[string]map[string]any{}
	for _, r := range rows {
		m[fmt.Sprint(r[field])] = r
	}
	return m
}

func checkAccounts(t *testing.T, m layout.Manifest, read, written, filtered, dead int64) {
	t.Helper()
	want := map[string]int64{"read": read, "written": written, "filtered": filtered, "dead_lettered": dead}
	for k, v := range want {
		if m.Counts[k] != v {
			t.Errorf("counts[%s] = %d, want %d (all %v)", k, m.Counts[k], v, m.Counts)
		}
	}
}

func floats(v any) []float64 {
	var out []float64
	for _, x := range v.([]any) {
		out = append(out, x.(float64))
	}
	return out
}

// examples/writing_samples.jsonl: 16 rows; 11 valid samples, then no references, empty
// policy response, a second copy of w00, criteria of type number, and a line that is not JSON.
func TestWritingSelectHeuristic(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "sel")
	out, err := runner(t, nil, "writing", "select", "--input", example(t, "writing_samples.jsonl"), "--output", prefix, "--top-k", "3")
	if err != nil {
		t.Fatalf("writing select: %v\n%s", err, out)
	}
	if !strings.Contains(out, "judge: ") {
		t.Errorf("no judge usage in the summary:\n%s", out)
	}
	m := readManifest(t, prefix)
	checkAccounts(t, m, 16, 3, 8, 5)
	if _, ok := m.Extra["judge"]; !ok {
		t.Errorf("manifest has no judge usage: %v", m.Extra)
	}
	dead := byID(rowsOf(t, prefix, layout.DeadLetterOutput), "line")
	for line, reason := range map[string]string{"12": "no references", "13": "policy_response is empty", "14": "duplicate id", "15": "criteria must be", "16": "not a JSON object"} {
		if d := dead[line]; d == nil || !strings.Contains(d["reason"].(string), reason) {
			t.Errorf("line %s dead letter = %v, want reason %q", line, d, reason)
		}
	}
	if d := dead["14"]; d == nil || d["reason"] != "duplicate id" || d["id"] != "w00" {
		t.Errorf("duplicate dead letter = %v", d)
	}
	// Re-select independently from the score rows: top 3 by margin, ties by smallest id.
	scores := rowsOf(t, prefix, "scores")
	if len(scores) != 11 {
		t.Fatalf("%d score rows, want 11", len(scores))
	}
	type cand struct {
		id     string
		margin float64
	}
	var cands []cand
	for _, r := range scores {
		refs := floats(r["reference_scores"])
		best := refs[0]
		for _, x := range refs {
			best = max(best, x)
		}
		cands = append(cands, cand{r["id"].(string), best - r["policy_score"].(float64)})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].margin != cands[j].margin {
			return cands[i].margin > cands[j].margin
		}
		return cands[i].id < cands[j].id
	})
	data := byID(rowsOf(t, prefix, layout.DataOutput), "id")
	for i, c := range cands {
		_, selected := data[c.id]
		if selected != (i < 3) || byID(scores, "id")[c.id]["selected"] != (i < 3) {
			t.Errorf("sample %s (rank %d, margin %v): selected %v", c.id, i, c.margin, selected)
		}
	}
	for id, r := range data {
		ordered := floats(r["reference_scores"])
		if !sort.Float64sAreSorted(ordered) {
			t.Errorf("%s: references not ordered weakest to strongest: %v", id, ordered)
		}
		if r["prompt"] == nil || r["source"] == nil {
			t.Errorf("%s: input fields not carried through: %v", id, r)
		}
	}
	if _, err := os.Stat(filepath.Join(prefix, "report.html")); err != nil {
		t.Errorf("no report: %v", err)
	}
}

// writeSamples writes n generated samples with unique texts; sample i's policy response
// contains "policy-i" and its references "ref-i-j".
func writeSamples(t *testing.T, path string, n, refs int) {
	t.Helper()
	var b strings.Builder
	for i := range n {
		s := map[string]any{"id": fmt.Sprintf("s%03d", i), "prompt": fmt.Sprintf("Write about topic %d.", i),
			"policy_response": fmt.Sprintf("policy-%d text", i), "criteria": nil}
		var rs []string
		for j := range refs {
			rs = append(rs, fmt.Sprintf("ref-%d-%d text", i, j))
		}
		s["references"] = rs
		if i%4 == 1 {
			s["criteria"] = []string{"clarity", "depth"}
		}
		line, _ := json.Marshal(s)
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// scoreByText is a deterministic pointwise judge: a score from the request text's length,
// 1-3 for a policy answer and 5-9 for a reference, so that every margin is positive
// whatever the prompt's wording (the judge template's length must not decide whether a
// job writes anything).
func scoreByText(r judgetest.Request) judgetest.Reply {
	score := 5 + len(r.Text())%5
	if strings.Contains(r.User(), "policy-") {
		score = 1 + len(r.Text())%3
	}
	return judgetest.Reply{Content: fmt.Sprintf(`{"score": %d, "reason": "by length"}`, score)}
}

func judgeArgs(srv *judgetest.Server, extra ...string) []string {
	return append([]string{"--judge-base-url", srv.URL(), "--judge-model", "test-judge", "--judge-concurrency", "8",
		"--judge-max-attempts", "3", "--judge-timeout", "5s"}, extra...)
}

func TestWritingSelectJudgeFaults(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "samples.jsonl")
	writeSamples(t, in, 30, 3)
	srv := judgetest.New()
	defer srv.Close()
	// The first attempt of every third request gets a 429, of every third other one a 500:
	// transient faults that retries absorb.
	var mu sync.Mutex
	seen := map[string]bool{}
	var n atomic.Int64
	srv.Handle(func(r judgetest.Request) judgetest.Reply {
		mu.Lock()
		first := !seen[r.Text()]
		seen[r.Text()] = true
		mu.Unlock()
		if first {
			switch n.Add(1) % 3 {
			case 0:
				return judgetest.Reply{Status: 429, RetryAfter: "0"}
			case 1:
				return judgetest.Reply{Status: 500}
			}
		}
		return scoreByText(r)
	})
	srv.When("policy-3 text", judgetest.Reply{Status: 500})                              // fails every attempt
	srv.When("ref-5-1 text", judgetest.Reply{Content: "I would rather not score this."}) // garbage
	srv.When("policy-7 text", judgetest.Reply{Raw: "{not json"})                         // malformed body
	prefix := filepath.Join(dir, "out")
	args := append([]string{"writing", "select", "--input", in, "--output", prefix, "--min-margin", "0"}, judgeArgs(srv)...)
	out, err := runner(t, []string{"OPENAI_API_KEY=sk-test-secret"}, args...)
	if err != nil {
		t.Fatalf("writing select: %v\n%s", err, out)
	}
	m := readManifest(t, prefix)
	if err := m.Check(); err != nil || m.Counts["read"] != 30 || m.Counts["dead_lettered"] != 3 {
		t.Errorf("accounting %v (%v), want 30 read, 3 dead-lettered: %v", m.Counts, err, rowsOf(t, prefix, layout.DeadLetterOutput))
	}
	dead := byID(rowsOf(t, prefix, layout.DeadLetterOutput), "id")
	for id, want := range map[string]string{"s003": "500", "s005": "reference 1", "s007": "policy_response"} {
		if d := dead[id]; d == nil || !strings.Contains(d["reason"].(string), want) {
			t.Errorf("%s dead letter = %v, want a reason naming %q", id, d, want)
		}
	}
	if u, _ := m.Extra["judge"].(map[string]any); u == nil || u["retries"].(float64) < 20 || u["failures"].(float64) != 4 {
		t.Errorf("judge usage %v: want the transient faults retried and 4 failed requests (s005 asks twice: two criteria)", m.Extra["judge"])
	}
	if len(rowsOf(t, prefix, "scores")) != 27 {
		t.Errorf("want 27 score rows")
	}
	b, _ := os.ReadFile(filepath.Join(prefix, "manifest.json"))
	if strings.Contains(string(b)+out, "sk-test-secret") {
		t.Errorf("the API key leaked into the manifest or the log")
	}
}

func TestWritingSelectResumesFromCache(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "samples.jsonl")
	writeSamples(t, in, 40, 4)
	const total = 40*5 + 10*5 // one call per response, two criteria for every fourth sample
	srv := judgetest.New()
	defer srv.Close()
	srv.Handle(scoreByText)
	srv.SetLatency(100 * time.Millisecond)
	cache := filepath.Join(dir, "cache")
	args := func(prefix string) []string {
		return append([]string{"writing", "select", "--input", in, "--output", prefix, "--top-k", "10", "--judge-cache", cache},
			judgeArgs(srv, "--judge-concurrency", "4")...)
	}
	// An interrupted run: killed once the judge has seen 40 requests.
	cmd := exec.Command(runnerBin, args(filepath.Join(dir, "killed"))...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); srv.Requests() < 40 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	first := srv.Requests()
	if first >= total {
		t.Fatalf("the first run finished (%d requests) before it was killed", first)
	}
	out, err := runner(t, nil, args(filepath.Join(dir, "resumed"))...)
	if err != nil {
		t.Fatalf("resumed run: %v\n%s", err, out)
	}
	second := srv.Requests() - first
	// Only the requests whose reply was not cached at the kill may be repeated: at most
	// the concurrency in flight, plus as many answered whose cache write (temp file,
	// fsync, rename) had not finished, since a reply frees its slot before it is cached.
	if second > total-first+2*4 || second < total-first {
		t.Errorf("resumed run made %d requests; %d were left after %d", second, total-first, first)
	}
	out, err = runner(t, nil, args(filepath.Join(dir, "rerun"))...)
	if err != nil {
		t.Fatalf("rerun: %v\n%s", err, out)
	}
	if got := srv.Requests() - first - second; got != 0 {
		t.Errorf("a rerun with a full cache made %d judge requests, want 0", got)
	}
	if !strings.Contains(out, fmt.Sprintf("%d cache hits", total)) {
		t.Errorf("summary does not show %d cache hits:\n%s", total, out)
	}
}

func TestWritingLabelAdvance(t *testing.T) {
	dir := t.TempDir()
	sel := filepath.Join(dir, "sel")
	if out, err := runner(t, nil, "writing", "select", "--input", example(t, "writing_samples.jsonl"), "--output", sel, "--min-margin", "-100"); err != nil {
		t.Fatalf("select: %v\n%s", err, out)
	}
	rollouts := filepath.Join(dir, "rollouts.jsonl")
	rows := []string{
		`{"id":"r1","sample_id":"w00","response":"WIN-ME one","step":1}`,
		`{"id":"r2","sample_id":"w03","response":"plain answer","step":1}`,
		`{"id":"r3","sample_id":"w03","response":"GARBAGE reply please","step":2}`,
		`{"id":"r4","sample_id":"nope","response":"WIN-ME","step":2}`,
		`{"id":"r5","sample_id":"w06","response":"WIN-ME val","step":3,"split":"validation"}`,
		`{"id":"r6","sample_id":"zh01","response":"WIN-ME 中文","step":3}`,
	}
	if err := os.WriteFile(rollouts, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := judgetest.New()
	defer srv.Close()
	srv.Handle(func(judgetest.Request) judgetest.Reply {
		return judgetest.Reply{Content: "The reference is better. [[A]]"}
	})
	srv.When("WIN-ME", judgetest.Reply{Content: "Answer [[A]] is weaker; B wins. [[B]]"})
	srv.When("GARBAGE", judgetest.Reply{Content: "Both are fine, I think."})
	state := filepath.Join(dir, "state.json")
	lab := filepath.Join(dir, "lab")
	out, err := runner(t, nil, append([]string{"writing", "label", "--input", rollouts, "--samples", filepath.Join(sel, "data"), "--schedule", state, "--output", lab}, judgeArgs(srv)...)...)
	if err != nil {
		t.Fatalf("label: %v\n%s", err, out)
	}
	checkAccounts(t, readManifest(t, lab), 6, 4, 0, 2)
	labels := byID(rowsOf(t, lab, layout.DataOutput), "id")
	for id, want := range map[string]string{"r1": "win", "r2": "loss", "r5": "win", "r6": "win"} {
		if l := labels[id]; l == nil || l["outcome"] != want || l["reference_index"] != 0.0 {
			t.Errorf("label %s = %v, want %s at reference 0", id, l, want)
		}
	}
	if labels["r1"]["reward"] != 1.0 || labels["r2"]["reward"] != 0.0 {
		t.Errorf("paper rewards: r1 %v, r2 %v", labels["r1"]["reward"], labels["r2"]["reward"])
	}
	dead := byID(rowsOf(t, lab, layout.DeadLetterOutput), "id")
	if dead["r3"] == nil || dead["r4"] == nil || !strings.Contains(dead["r4"]["reason"].(string), "unknown sample_id") {
		t.Errorf("dead letters = %v, want r3 (no verdict) and r4 (unknown sample)", dead)
	}
	state2 := filepath.Join(dir, "state2.json")
	out, err = runner(t, nil, "writing", "advance", "--schedule", state, "--input", filepath.Join(lab, "data"), "--output", state2)
	if err != nil || !strings.Contains(out, "2 samples moved") || !strings.Contains(out, "1 validation") {
		t.Fatalf("advance: %v\n%s", err, out)
	}
	var st struct {
		Samples map[string]struct{ Pointer int }
		History []struct{ Sample string }
	}
	b, err := os.ReadFile(state2)
	if err != nil || json.Unmarshal(b, &st) != nil {
		t.Fatalf("state2: %v %s", err, b)
	}
	if st.Samples["w00"].Pointer != 1 || st.Samples["zh01"].Pointer != 1 || st.Samples["w03"].Pointer != 0 || len(st.History) != 2 {
		t.Errorf("state after advance = %+v", st)
	}
	if _, ok := st.Samples["w06"]; ok {
		t.Errorf("a validation rollout moved sample w06")
	}
	// Labelling again against the advanced schedule compares w00 with its next reference.
	lab2 := filepath.Join(dir, "lab2")
	if out, err := runner(t, nil, append([]string{"writing", "label", "--input", rollouts, "--samples", filepath.Join(sel, "data"), "--schedule", state2, "--output", lab2, "--order", "both", "--rewards", "released"}, judgeArgs(srv)...)...); err != nil {
		t.Fatalf("label 2: %v\n%s", err, out)
	}
	l := byID(rowsOf(t, lab2, layout.DataOutput), "id")["r1"]
	if l == nil || l["reference_index"] != 1.0 || len(l["verdicts"].([]any)) != 2 || l["outcome"] != "tie" || l["reward"] != 0.55 {
		// Both orders: the judge says [[B]] whichever side the policy is on, so they disagree: a tie.
		t.Errorf("second label of r1 = %v, want reference 1, two verdicts, a tie paid 0.55", l)
	}
}

func TestWritingSelectGCS(t *testing.T) {
	gcs, host := startGCS(t)
	gcs.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: "data"})
	dir := t.TempDir()
	in := filepath.Join(dir, "samples.jsonl")
	writeSamples(t, in, 12, 2)
	rows, _ := os.ReadFile(in)
	if err := blob.WriteAtomic(context.Background(), "gs://data/in/samples.jsonl", rows); err != nil {
		t.Fatal(err)
	}
	srv := judgetest.New()
	defer srv.Close()
	srv.Handle(scoreByText)
	env := []string{"STORAGE_EMULATOR_HOST=" + host}
	for i, prefix := range []string{"gs://data/out/a", "gs://data/out/b"} {
		out, err := runner(t, env, append([]string{"writing", "select", "--input", "gs://data/in/*.jsonl", "--output", prefix, "--top-k", "5", "--judge-cache", "gs://data/cache"}, judgeArgs(srv)...)...)
		if err != nil {
			t.Fatalf("run %d: %v\n%s", i, err, out)
		}
		checkAccounts(t, readManifest(t, prefix), 12, 5, 7, 0)
	}
	const calls = 12*3 + 3*3 // samples 1, 5, 9 have two criteria
	if srv.Requests() != calls {
		t.Errorf("judge saw %d requests over two runs, want %d (the second from the gs:// cache)", srv.Requests(), calls)
	}
	keys, err := blob.List(context.Background(), "gs://data/cache/*/*.json")
	if err != nil || len(keys) != calls {
		t.Errorf("gs:// cache holds %d replies (%v), want %d", len(keys), err, calls)
	}
}

func TestWritingBadInvocations(t *testing.T) {
	dir := t.TempDir()
	in := example(t, "writing_samples.jsonl")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no selection", []string{"writing", "select", "--input", in, "--output", dir}, "--top-k"},
		{"both selections", []string{"writing", "select", "--input", in, "--output", dir, "--top-k", "3", "--min-margin", "1"}, "not both"},
		{"threshold off margin", []string{"writing", "select", "--input", in, "--output", dir, "--min-margin", "1", "--strategy", "random"}, "--strategy margin"},
		{"bad strategy", []string{"writing", "select", "--input", in, "--output", dir, "--top-k", "3", "--strategy", "best"}, "unknown strategy"},
		{"openai without model", []string{"writing", "select", "--input", in, "--output", dir, "--top-k", "3", "--judge", "openai"}, "--judge-model"},
		{"bad order", []string{"writing", "label", "--input", in, "--samples", in, "--schedule", filepath.Join(dir, "s.json"), "--output", dir, "--order", "random"}, "unknown order"},
		{"bad rule", []string{"writing", "advance", "--schedule", filepath.Join(dir, "s.json"), "--input", in, "--output", filepath.Join(dir, "s2.json"), "--rule", "sometimes"}, "unknown rule"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runner(t, nil, tc.args...)
			if err == nil || !strings.Contains(out, tc.want) || strings.Contains(out, "panic") {
				t.Errorf("runner %v = %v, want a clear error containing %q:\n%s", tc.args, err, tc.want, out)
			}
		})
	}
}

// BenchmarkWritingSelect runs select on 2,000 generated samples of 4 references against the
// loopback judge with 200 ms latency at concurrency 64: ideal 64/0.2 s = 320 requests/s.
//
//	go test -run '^$' -bench BenchmarkWritingSelect -benchtime 1x ./cmd/runner
func BenchmarkWritingSelect(b *testing.B) {
	dir := b.TempDir()
	in := filepath.Join(dir, "samples.jsonl")
	var sb strings.Builder
	for i := range 2000 {
		line, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("s%05d", i), "prompt": fmt.Sprintf("Write about topic %d.", i),
			"policy_response": fmt.Sprintf("policy %d", i), "references": []string{fmt.Sprintf("a %d", i), fmt.Sprintf("b %d", i), fmt.Sprintf("c %d", i), fmt.Sprintf("d %d", i)}})
		sb.Write(line)
		sb.WriteByte('\n')
	}
	if err := os.WriteFile(in, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	srv := judgetest.New()
	defer srv.Close()
	srv.Handle(scoreByText)
	srv.SetLatency(200 * time.Millisecond)
	const ideal = 64 / 0.2
	for i := 0; i < b.N; i++ {
		before := srv.Requests()
		cmd := exec.Command(runnerBin, "writing", "select", "--input", in, "--output", filepath.Join(dir, fmt.Sprint("out", i)), "--top-k", "500",
			"--judge-base-url", srv.URL(), "--judge-model", "bench", "--judge-concurrency", "64")
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("select: %v\n%s", err, out)
		}
		took := time.Since(start)
		n := srv.Requests() - before
		cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		rate := float64(n) / took.Seconds()
		b.ReportMetric(rate, "req/s")
		b.ReportMetric(100*rate/ideal, "%ideal")
		b.ReportMetric(float64(cpu.Microseconds())/float64(n), "cpu-µs/req")
		b.ReportMetric(float64(srv.MaxInFlight()), "max-in-flight")
		b.Logf("%d requests in %s: %.1f req/s (%.1f%% of %.0f), %s CPU", n, took.Round(time.Millisecond), rate, 100*rate/ideal, ideal, cpu)
	}
}
