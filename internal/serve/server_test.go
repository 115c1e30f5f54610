package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/judge/judgetest"
	"github.com/rlcurate/rlcurate/internal/store"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/schedule"
)

// between returns the text between start and end in s.
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}

// fakeJudge starts a judgetest server that prefers the answer containing "GOOD", or the
// one not containing "BAD" (a tie when neither rule decides), and a client for it.
func fakeJudge(t *testing.T) (*judgetest.Server, *judge.Client) {
	t.Helper()
	srv := judgetest.New()
	t.Cleanup(srv.Close)
	srv.Handle(func(r judgetest.Request) judgetest.Reply {
		text := r.Text()
		ansA, ansB := between(text, "[Answer A]", "[End of Answer A]"), between(text, "[Answer B]", "[End of Answer B]")
		a := strings.Contains(ansA, "GOOD") || strings.Contains(ansB, "BAD") && !strings.Contains(ansA, "BAD")
		b := strings.Contains(ansB, "GOOD") || strings.Contains(ansA, "BAD") && !strings.Contains(ansB, "BAD")
		switch {
		case a && !b:
			return judgetest.Reply{Content: "A is vivid. [[A]]"}
		case b && !a:
			return judgetest.Reply{Content: "B is vivid, unlike [[A]]. [[B]]"}
		}
		return judgetest.Reply{Content: "Equal. [[C]]"}
	})
	c, err := judge.NewClient(judge.ClientConfig{BaseURL: srv.URL(), Model: "judge", MaxAttempts: 1, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func newServer(t *testing.T, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

// post sends body to /get_reward and returns the status and decoded body.
func post(t *testing.T, url string, body any) (int, Response, ErrorBody) {
	t.Helper()
	b, ok := body.([]byte)
	if !ok {
		b, _ = json.Marshal(body)
	}
	resp, err := http.Post(url+"/get_reward", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ok200 Response
	var bad ErrorBody
	raw := new(bytes.Buffer)
	raw.ReadFrom(resp.Body)
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(raw.Bytes(), &ok200); err != nil {
			t.Fatalf("200 body %s: %v", raw, err)
		}
	} else if err := json.Unmarshal(raw.Bytes(), &bad); err != nil {
		t.Fatalf("%d body %s: %v", resp.StatusCode, raw, err)
	}
	return resp.StatusCode, ok200, bad
}

type golden struct {
	Name       string       `json:"name"`
	Completion string       `json:"completion"`
	GT         [][2]float64 `json:"gt"`
	Total1     float64      `json:"total_phase1"`
	Total2     float64      `json:"total_phase2"`
	Format1    float64      `json:"format_phase1"`
}

func label(gt [][2]float64, phase int, mode string) string {
	b, _ := json.Marshal(map[string]any{"branch": "museg", "solution": gt, "phase": phase, "mode": mode})
	return string(b)
}

// TestMusegGolden scores the released code's golden cases through the service, each
// completion behind a chat prompt and followed by an end-of-turn token, as OpenRLHF
// sends them.
func TestMusegGolden(t *testing.T) {
	b, err := os.ReadFile("../../../shared/fixtures/museg_reward_golden.json")
	if err != nil {
		b, err = os.ReadFile("/work/shared/fixtures/museg_reward_golden.json")
	}
	if err != nil {
		t.Skip("golden fixture not available:", err)
	}
	var cases []golden
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	_, ts := newServer(t, Config{})
	const prompt = "<|im_start|>user\n<video>When?<|im_end|>\n<|im_start|>assistant\n"
	var req Request
	var want []float64
	var wantFormat []float64
	for _, c := range cases {
		for phase, total := range map[int]float64{1: c.Total1, 2: c.Total2} {
			req.Query = append(req.Query, prompt+c.Completion+"<|im_end|>\n<|endoftext|>")
			req.Prompts = append(req.Prompts, prompt)
			req.Labels = append(req.Labels, label(c.GT, phase, "compat"))
			want = append(want, total)
			if phase == 1 {
				wantFormat = append(wantFormat, c.Format1)
			} else {
				wantFormat = append(wantFormat, math.NaN())
			}
		}
	}
	// Repeat to cross the parallel-chunk threshold.
	for len(req.Query) < 300 {
		n := len(req.Query)
		req.Query, req.Prompts, req.Labels, want, wantFormat = append(req.Query, req.Query[:n]...), append(req.Prompts, req.Prompts[:n]...),
			append(req.Labels, req.Labels[:n]...), append(want, want[:n]...), append(wantFormat, wantFormat[:n]...)
	}
	status, resp, bad := post(t, ts.URL, req)
	if status != 200 {
		t.Fatalf("status %d: %s", status, bad.Error)
	}
	if len(resp.Rewards) != len(want) || len(resp.Scores) != len(want) {
		t.Fatalf("%d rewards, %d scores for %d queries", len(resp.Rewards), len(resp.Scores), len(want))
	}
	for i := range want {
		if math.Abs(resp.Rewards[i]-want[i]) > 2e-6 {
			t.Errorf("query %d (%s): reward %v, want %v", i, req.Labels[i], resp.Rewards[i], want[i])
		}
		if math.Abs(resp.Scores[i]-want[i]/3) > 1e-6 {
			t.Errorf("query %d: score %v, want %v", i, resp.Scores[i], want[i]/3)
		}
		if f := wantFormat[i]; !math.IsNaN(f) && math.Abs(resp.ExtraLogs["museg/format"][i]-f) > 1e-9 {
			t.Errorf("query %d: format %v, want %v", i, resp.ExtraLogs["museg/format"][i], f)
		}
	}
}

func TestMusegModesAndNonFinite(t *testing.T) {
	_, ts := newServer(t, Config{})
	gt := [][2]float64{{2, 4}}
	tests := []struct {
		name, completion, label string
		want                    float64
		nonfinite               float64
	}{
		// Phase 2 compat: format 1, exact match: global 2pr/(p+r+1e-6) with p=r=2/(2+1e-6), local 1.
		{"exact phase 2", "<think>x</think><answer>2.00-4.00</answer>", label(gt, 2, "compat"), 1 + 2*(2/2.000001)*(2/2.000001)/(2*(2/2.000001)+1e-6) + 1, 0},
		// Empty answer: compat gives format 1 and about 0 matching (local matching pads the
		// predictions with [1e9, 1e9+1], worth ~1.5e-9); strict gives format 0.2.
		{"empty answer compat", "<think>x</think><answer></answer>", label(gt, 2, "compat"), 1, 0},
		{"empty answer strict", "<think>x</think><answer></answer>", label(gt, 2, "strict"), 0.2, 0},
		{"no tags", "2-4", label(gt, 2, "compat"), 0, 0},
		// The released code computes NaN for an infinite end: returned as 0, counted.
		{"infinite end", "<think>x</think><answer>1-inf</answer>", label(gt, 2, "compat"), 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, resp, bad := post(t, ts.URL, Request{Query: []string{tc.completion}, Labels: []string{tc.label}})
			if status != 200 {
				t.Fatalf("status %d: %s", status, bad.Error)
			}
			if math.Abs(resp.Rewards[0]-tc.want) > 1e-8 || resp.ExtraLogs["museg/nonfinite"][0] != tc.nonfinite {
				t.Errorf("reward %v nonfinite %v, want %v and %v", resp.Rewards[0], resp.ExtraLogs["museg/nonfinite"][0], tc.want, tc.nonfinite)
			}
		})
	}
}

func writingLabel(id string) string { return fmt.Sprintf(`{"branch":"writing","sample_id":%q}`, id) }

func writingServer(t *testing.T, store schedule.Store, j judge.Judge, mod func(*Config)) *httptest.Server {
	t.Helper()
	samples, err := LoadSamples(context.Background(), "testdata")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Judge: j, Samples: samples, Store: store}
	if mod != nil {
		mod(&cfg)
	}
	_, ts := newServer(t, cfg)
	return ts
}

func TestWritingRewardsMoveSchedule(t *testing.T) {
	srv, client := fakeJudge(t)
	path := filepath.Join(t.TempDir(), "schedule.json")
	ts := writingServer(t, &store.File{Path: path}, client, nil)

	// s1's policy wins against reference 0, s2's loses; a validation win on s2 moves nothing.
	req := Request{
		Query:   []string{"PROMPT1 GOOD essay", "PROMPT2 BAD essay", "PROMPT2 GOOD essay"},
		Prompts: []string{"PROMPT1 ", "PROMPT2 ", "PROMPT2 "},
		Labels:  []string{writingLabel("s1"), writingLabel("s2"), `{"branch":"writing","sample_id":"s2","validation":true}`},
		Step:    7,
	}
	status, resp, bad := post(t, ts.URL, req)
	if status != 200 {
		t.Fatalf("status %d: %s", status, bad.Error)
	}
	if want := []float64{1, 0, 1}; fmt.Sprint(resp.Rewards) != fmt.Sprint(want) {
		t.Errorf("rewards %v, want %v (paper values: win 1, loss 0)", resp.Rewards, want)
	}
	if fmt.Sprint(resp.ExtraLogs["writing/moved"]) != "[1 0 0]" || fmt.Sprint(resp.ExtraLogs["writing/win"]) != "[1 0 1]" {
		t.Errorf("extra_logs %v", resp.ExtraLogs)
	}
	// The judge saw the policy second (released order) and reference 0.
	for _, r := range srv.Received() {
		text := r.Text()
		a, b := between(text, "[Answer A]", "[End of Answer A]"), between(text, "[Answer B]", "[End of Answer B]")
		if !strings.Contains(b, "essay") || !strings.Contains(a, "weak") {
			t.Errorf("judge saw A=%q B=%q; want the weakest reference as A and the completion as B", a, b)
		}
		if strings.Contains(a, "PROMPT") || strings.Contains(b, "PROMPT") {
			t.Errorf("the prompt was not cut from the query: A=%q B=%q", a, b)
		}
	}
	st, err := (&store.File{Path: path}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Samples["s1"] == nil || st.Samples["s1"].Pointer != 1 || len(st.History) != 1 || st.History[0].Step != 7 {
		t.Fatalf("schedule after one win: %+v history %+v", st.Samples["s1"], st.History)
	}
	if s2 := st.Samples["s2"]; s2 == nil || s2.Pointer != 0 || fmt.Sprint(s2.Recent) != "[loss]" {
		t.Errorf("s2 state %+v, want pointer 0 after one loss and no validation outcome", s2)
	}

	// Next time s1 meets reference 1 ("rain middle"); then, once promoted, the strongest
	// (which also says GOOD): a tie, 0.5.
	for i, want := range []struct {
		ref    string
		reward float64
	}{{"rain middle", 1}, {"rain strong", 0.5}} {
		before := srv.Requests()
		status, resp, bad = post(t, ts.URL, Request{Query: []string{"GOOD again"}, Labels: []string{writingLabel("s1")}})
		if status != 200 {
			t.Fatalf("status %d: %s", status, bad.Error)
		}
		got := srv.Received()[before]
		if !strings.Contains(between(got.Text(), "[Answer A]", "[End of Answer A]"), want.ref) || resp.Rewards[0] != want.reward {
			t.Errorf("round %d: reward %v against %q, want %v against %q", i, resp.Rewards[0], between(got.Text(), "[Answer A]", "[End of Answer A]"), want.reward, want.ref)
		}
	}
}

func TestWritingBothOrdersAndReleasedRewards(t *testing.T) {
	srv, client := fakeJudge(t)
	ts := writingServer(t, &store.File{Path: filepath.Join(t.TempDir(), "s.json")}, client, func(c *Config) {
		c.Strategy, c.Rewards = rewards.BothOrders, rewards.ReleasedRewards
	})
	status, resp, bad := post(t, ts.URL, Request{Query: []string{"GOOD", "BAD"}, Labels: []string{writingLabel("s2"), writingLabel("s2")}})
	if status != 200 {
		t.Fatalf("status %d: %s", status, bad.Error)
	}
	if fmt.Sprint(resp.Rewards) != "[1.1 0.1]" || fmt.Sprint(resp.Scores) != "[1 0]" {
		t.Errorf("rewards %v scores %v, want [1.1 0.1] and [1 0]", resp.Rewards, resp.Scores)
	}
	if srv.Requests() != 4 {
		t.Errorf("%d judge calls, want 4 (two orders each)", srv.Requests())
	}
}

func TestBadRequests(t *testing.T) {
	_, client := fakeJudge(t)
	ts := writingServer(t, &store.File{Path: filepath.Join(t.TempDir(), "s.json")}, client, nil)
	_, noWriting := newServer(t, Config{})
	museg := label([][2]float64{{1, 2}}, 1, "compat")
	tests := []struct {
		name   string
		url    string
		body   any
		status int
		want   string
	}{
		{"not json", ts.URL, []byte("{query"), 400, "not a reward request"},
		{"labels missing", ts.URL, Request{Query: []string{"a"}}, 400, "1 queries but 0 labels"},
		{"prompts mismatch", ts.URL, Request{Query: []string{"a"}, Labels: []string{museg}, Prompts: []string{"a", "b"}}, 400, "prompts"},
		{"prompt not a prefix", ts.URL, Request{Query: []string{"abc"}, Labels: []string{museg}, Prompts: []string{"x"}}, 400, "does not start with its prompt"},
		{"label not json", ts.URL, Request{Query: []string{"a"}, Labels: []string{"museg"}}, 400, "label 0"},
		{"unknown branch", ts.URL, Request{Query: []string{"a"}, Labels: []string{`{"branch":"math"}`}}, 400, "unknown branch"},
		{"bad phase", ts.URL, Request{Query: []string{"a"}, Labels: []string{`{"branch":"museg","solution":[[1,2]],"phase":3}`}}, 400, "phase 3"},
		{"strict reversed solution", ts.URL, Request{Query: []string{"a"}, Labels: []string{label([][2]float64{{5, 1}}, 1, "strict")}}, 400, "reversed"},
		{"unknown sample", ts.URL, Request{Query: []string{"a"}, Labels: []string{writingLabel("nope")}}, 400, `unknown writing sample "nope"`},
		{"writing without judge", noWriting.URL, Request{Query: []string{"a"}, Labels: []string{writingLabel("s1")}}, 400, "need a judge"},
		{"too large", ts.URL, []byte(`{"query":["` + strings.Repeat("x", 65<<20) + `"]}`), 413, "too large"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, _, bad := post(t, tc.url, tc.body)
			if status != tc.status || !strings.Contains(bad.Error, tc.want) || bad.Retryable {
				t.Errorf("status %d %+v, want %d with a reason containing %q", status, bad, tc.status, tc.want)
			}
		})
	}
	resp, err := http.Get(ts.URL + "/get_reward")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /get_reward = %d, want 405", resp.StatusCode)
	}
}

func TestJudgeOutage(t *testing.T) {
	tests := []struct {
		name  string
		reply judgetest.Reply
		cfg   func(*Config)
		want  string
	}{
		{"server errors", judgetest.Reply{Status: 500, Content: "overloaded"}, nil, "judge calls failed"},
		{"no verdict", judgetest.Reply{Content: "I cannot decide."}, nil, "no verdict"},
		{"hang past the request timeout", judgetest.Reply{Hang: true}, func(c *Config) { c.Timeout = 300 * time.Millisecond }, "timed out"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, client := fakeJudge(t)
			srv.Handle(func(judgetest.Request) judgetest.Reply { return tc.reply })
			path := filepath.Join(t.TempDir(), "s.json")
			ts := writingServer(t, &store.File{Path: path}, client, tc.cfg)
			status, _, bad := post(t, ts.URL, Request{Query: []string{"GOOD", "x"}, Labels: []string{writingLabel("s1"), label([][2]float64{{1, 2}}, 1, "compat")}})
			if status != http.StatusServiceUnavailable || !bad.Retryable || !strings.Contains(bad.Error, tc.want) {
				t.Errorf("status %d %+v, want a retryable 503 containing %q", status, bad, tc.want)
			}
			if _, err := os.Stat(path); err == nil {
				t.Errorf("the schedule was written although the request failed")
			}
		})
	}
}

// TestRetryWithRequestID resends requests whose answers a client lost: with the same
// request_id the outcomes are recorded once (without one, the retry of a win would
// promote the sample a second time); a new id is a new request.
func TestRetryWithRequestID(t *testing.T) {
	_, client := fakeJudge(t)
	path := filepath.Join(t.TempDir(), "schedule.json")
	// One win promotes, as released; a window of 4 lets the test count recorded losses.
	rule := func(c *Config) { c.Rule = schedule.Rule{Wins: 1, Window: 4} }
	a := writingServer(t, &store.File{Path: path}, client, rule)
	b := writingServer(t, &store.File{Path: path}, client, rule) // a replica: retries may land elsewhere
	win := func(id string) Request {
		return Request{Query: []string{"GOOD essay"}, Labels: []string{writingLabel("s1")}, RequestID: id}
	}
	loss := func(id string) Request {
		return Request{Query: []string{"BAD essay"}, Labels: []string{writingLabel("s2")}, RequestID: id}
	}
	steps := []struct {
		name                string
		url                 string
		req                 Request
		replayed, moved     float64
		s1Pointer, s2Recent int
		history             int
	}{
		{"win", a.URL, win("w1"), 0, 1, 1, 0, 1},
		{"the win retried", a.URL, win("w1"), 1, 0, 1, 0, 1},
		{"the win retried on the replica", b.URL, win("w1"), 1, 0, 1, 0, 1},
		{"a new win", b.URL, win("w2"), 0, 1, 2, 0, 2},
		{"loss", a.URL, loss("l1"), 0, 0, 2, 1, 2},
		{"the loss retried", b.URL, loss("l1"), 1, 0, 2, 1, 2},
		{"a loss without id", a.URL, loss(""), 0, 0, 2, 2, 2},
		{"the same again without id: a new request", a.URL, loss(""), 0, 0, 2, 3, 2},
	}
	for _, st := range steps {
		status, resp, bad := post(t, st.url, st.req)
		if status != 200 {
			t.Fatalf("%s: status %d: %s", st.name, status, bad.Error)
		}
		if got := resp.ExtraLogs["writing/replayed"][0]; got != st.replayed {
			t.Errorf("%s: writing/replayed %v, want %v", st.name, got, st.replayed)
		}
		if got := resp.ExtraLogs["writing/moved"][0]; got != st.moved {
			t.Errorf("%s: writing/moved %v, want %v", st.name, got, st.moved)
		}
		state, err := (&store.File{Path: path}).Load(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var s1, s2Recent int
		if ss := state.Samples["s1"]; ss != nil {
			s1 = ss.Pointer
		}
		if ss := state.Samples["s2"]; ss != nil {
			s2Recent = len(ss.Recent)
		}
		if s1 != st.s1Pointer || s2Recent != st.s2Recent || len(state.History) != st.history {
			t.Errorf("%s: s1 pointer %d, s2 outcomes %d, %d moves; want %d, %d, %d",
				st.name, s1, s2Recent, len(state.History), st.s1Pointer, st.s2Recent, st.history)
		}
	}
}

// TestReplicasShareSchedule runs two services on one schedule file and sends wins for
// the same samples through both at once: every sample must be promoted exactly once
// (the second win was judged against the old reference: stale, not applied twice) and
// no outcome may be lost.
func TestReplicasShareSchedule(t *testing.T) {
	_, client := fakeJudge(t)
	path := filepath.Join(t.TempDir(), "shared.json")
	a := writingServer(t, &store.File{Path: path}, client, nil)
	b := writingServer(t, &store.File{Path: path}, client, nil)
	const rounds = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	var applied, stale float64
	for i := range rounds {
		for _, ts := range []*httptest.Server{a, b} {
			wg.Add(1)
			go func(url string, i int) {
				defer wg.Done()
				status, resp, bad := post(t, url, Request{Query: []string{fmt.Sprintf("GOOD %d", i)}, Labels: []string{writingLabel("s2")}})
				if status != 200 {
					t.Errorf("status %d: %s", status, bad.Error)
					return
				}
				mu.Lock()
				applied += 1 - resp.ExtraLogs["writing/stale"][0]
				stale += resp.ExtraLogs["writing/stale"][0]
				mu.Unlock()
			}(ts.URL, i)
		}
	}
	wg.Wait()
	st, err := (&store.File{Path: path}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s2 := st.Samples["s2"]
	// s2 has two references: a win at 0 promotes to 1, a win at 1 masters (2); later
	// wins against the strongest change nothing. Two moves in all, none lost or doubled.
	if s2 == nil || s2.Pointer != 2 || len(st.History) != 2 || st.History[0].To != 1 || st.History[1].To != 2 {
		t.Fatalf("state %+v history %+v, want pointer 2 after exactly two moves", s2, st.History)
	}
	if applied+stale != 2*rounds {
		t.Errorf("applied %v + stale %v != %d requests", applied, stale, 2*rounds)
	}
}

func TestMetricsAndHealth(t *testing.T) {
	_, ts := newServer(t, Config{})
	post(t, ts.URL, Request{Query: []string{"<think>x</think><answer>1-2</answer>"}, Labels: []string{label([][2]float64{{1, 2}}, 2, "compat")}})
	post(t, ts.URL, Request{Query: []string{"a"}})
	for path, wants := range map[string][]string{
		"/healthz": {"ok"},
		"/metrics": {
			`rlcurate_reward_requests_total{code="200"} 1`,
			`rlcurate_reward_requests_total{code="400"} 1`,
			`rlcurate_rewards_total{branch="museg"} 1`,
			`rlcurate_reward_errors_total{kind="bad_request"} 1`,
			`rlcurate_reward_request_seconds_bucket{le="+Inf"} 2`,
			`rlcurate_reward_request_seconds_count 2`,
			`# TYPE rlcurate_reward_request_seconds histogram`,
		},
	} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body := new(bytes.Buffer)
		body.ReadFrom(resp.Body)
		resp.Body.Close()
		for _, w := range wants {
			if resp.StatusCode != 200 || !strings.Contains(body.String(), w) {
				t.Errorf("GET %s = %d, missing %q:\n%s", path, resp.StatusCode, w, body)
			}
		}
	}
}

func TestStripSuffixes(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"none", "<answer>1-2</answer>", "<answer>1-2</answer>"},
		{"eos", "<answer>1-2</answer><|im_end|>", "<answer>1-2</answer>"},
		{"several with whitespace", "done \n<|im_end|>\n<|endoftext|><|endoftext|>", "done \n"},
		{"whitespace alone kept", "done \n", "done \n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := stripSuffixes(tc.in, DefaultStripSuffixes); got != tc.want {
				t.Errorf("stripSuffixes(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
