package judge

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/judge/judgetest"
)

// fastConfig returns a config for srv with short waits, changed by mutate.
func fastConfig(srv *judgetest.Server, mutate func(*ClientConfig)) ClientConfig {
	cfg := ClientConfig{
		BaseURL:     srv.URL(),
		Model:       "test-judge",
		APIKey:      "sk-test-not-secret",
		Sampling:    Sampling{Temperature: 0.1, MaxTokens: 256},
		Concurrency: 8,
		Timeout:     2 * time.Second,
		MaxAttempts: 3,
		BackoffBase: 10 * time.Millisecond,
		BackoffMax:  40 * time.Millisecond,
	}
	if mutate != nil {
		mutate(&cfg)
	}
	return cfg
}

func newClient(t *testing.T, srv *judgetest.Server, mutate func(*ClientConfig)) *Client {
	t.Helper()
	c, err := NewClient(fastConfig(srv, mutate))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func pw(i int) PointwiseRequest {
	return PointwiseRequest{Prompt: fmt.Sprintf("Write story %d", i), Response: "Once upon a time."}
}

func TestPointwiseRetries(t *testing.T) {
	ok := judgetest.Reply{Content: `{"score": 6, "reason": "fine"}`}
	tests := []struct {
		name         string
		script       []judgetest.Reply
		minElapsed   time.Duration // what Retry-After asked for
		maxElapsed   time.Duration
		wantRequests int
	}{
		{name: "429 retry-after seconds", script: []judgetest.Reply{{Status: 429, RetryAfter: "1"}, ok},
			minElapsed: time.Second, maxElapsed: 1500 * time.Millisecond, wantRequests: 2},
		{name: "429 retry-after fractional", script: []judgetest.Reply{{Status: 429, RetryAfter: "0.4"}, {Status: 429, RetryAfter: "0.3"}, ok},
			minElapsed: 700 * time.Millisecond, maxElapsed: 1200 * time.Millisecond, wantRequests: 3},
		{name: "500 then ok", script: []judgetest.Reply{{Status: 500}, ok},
			maxElapsed: 500 * time.Millisecond, wantRequests: 2},
		{name: "502 and 503 then ok", script: []judgetest.Reply{{Status: 502}, {Status: 503}, ok},
			maxElapsed: 500 * time.Millisecond, wantRequests: 3},
		{name: "malformed json then ok", script: []judgetest.Reply{{Raw: `{"choices": [`}, ok},
			maxElapsed: 500 * time.Millisecond, wantRequests: 2},
		{name: "200 without choices then ok", script: []judgetest.Reply{{Raw: `{"id": "x", "choices": []}`}, ok},
			maxElapsed: 500 * time.Millisecond, wantRequests: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := judgetest.New()
			defer srv.Close()
			srv.Enqueue(tc.script...)
			c := newClient(t, srv, nil)
			start := time.Now()
			res, err := c.Pointwise(context.Background(), pw(1))
			elapsed := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			if res.Score != 6 || res.Reason != "fine" {
				t.Errorf("result %+v", res)
			}
			if elapsed < tc.minElapsed || elapsed > tc.maxElapsed {
				t.Errorf("elapsed %v, want within [%v, %v]", elapsed, tc.minElapsed, tc.maxElapsed)
			}
			if got := srv.Requests(); got != tc.wantRequests {
				t.Errorf("server saw %d requests, want %d", got, tc.wantRequests)
			}
			st := c.Stats()
			if st.HTTPCalls != int64(tc.wantRequests) || st.Retries != int64(tc.wantRequests-1) || st.Failures != 0 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	// HTTP dates have whole seconds: ask for the second after next.
	until := time.Now().Add(2 * time.Second).Truncate(time.Second)
	srv.Enqueue(judgetest.Reply{Status: 429, RetryAfter: until.UTC().Format(http.TimeFormat)},
		judgetest.Reply{Content: `{"score": 5, "reason": "r"}`})
	c := newClient(t, srv, nil)
	if _, err := c.Pointwise(context.Background(), pw(1)); err != nil {
		t.Fatal(err)
	}
	if now := time.Now(); now.Before(until) || now.Sub(until) > 500*time.Millisecond {
		t.Errorf("finished at %v, want just after %v", now, until)
	}
}

func TestPointwiseFailures(t *testing.T) {
	tests := []struct {
		name          string
		reply         judgetest.Reply
		mutate        func(*ClientConfig)
		wantAttempts  int
		wantStatus    int
		wantRetryable bool
		wantBadReply  bool
		wantDeadline  bool
	}{
		{name: "500 every time", reply: judgetest.Reply{Status: 500, Content: "boom"}, wantAttempts: 3, wantStatus: 500, wantRetryable: true},
		{name: "429 every time", reply: judgetest.Reply{Status: 429, RetryAfter: "0"}, wantAttempts: 3, wantStatus: 429, wantRetryable: true},
		{name: "malformed every time", reply: judgetest.Reply{Raw: "not json at all"}, wantAttempts: 3, wantStatus: 200, wantRetryable: true},
		{name: "400 fails at once", reply: judgetest.Reply{Status: 400, Content: "bad request"}, wantAttempts: 1, wantStatus: 400},
		{name: "401 fails at once", reply: judgetest.Reply{Status: 401, Content: "no key"}, wantAttempts: 1, wantStatus: 401},
		{name: "404 fails at once", reply: judgetest.Reply{Status: 404, Content: "no model"}, wantAttempts: 1, wantStatus: 404},
		{name: "hang times out", reply: judgetest.Reply{Hang: true},
			mutate: func(c *ClientConfig) { c.Timeout = 150 * time.Millisecond; c.MaxAttempts = 2 }, wantAttempts: 2, wantRetryable: true, wantDeadline: true},
		{name: "no score fails at once", reply: judgetest.Reply{Content: "It is quite good, 8/10."}, wantAttempts: 1, wantStatus: 200, wantBadReply: true},
		{name: "score out of range", reply: judgetest.Reply{Content: `{"score": 12, "reason": "r"}`}, wantAttempts: 1, wantStatus: 200, wantBadReply: true},
		{name: "no score retried when asked", reply: judgetest.Reply{Content: `{"reason": "r"}`},
			mutate: func(c *ClientConfig) { c.RetryBadReply = true }, wantAttempts: 3, wantStatus: 200, wantRetryable: true, wantBadReply: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := judgetest.New()
			defer srv.Close()
			srv.Handle(func(judgetest.Request) judgetest.Reply { return tc.reply })
			c := newClient(t, srv, tc.mutate)
			res, err := c.Pointwise(context.Background(), pw(1))
			if err == nil {
				t.Fatalf("got %+v, want error", res)
			}
			var ce *CallError
			if !errors.As(err, &ce) {
				t.Fatalf("error %T %v is not a *CallError", err, err)
			}
			if ce.Attempts != tc.wantAttempts || ce.Retryable != tc.wantRetryable || (!tc.wantDeadline && ce.StatusCode != tc.wantStatus) {
				t.Errorf("CallError{Attempts:%d Status:%d Retryable:%v}, want {%d %d %v}",
					ce.Attempts, ce.StatusCode, ce.Retryable, tc.wantAttempts, tc.wantStatus, tc.wantRetryable)
			}
			if got := srv.Requests(); got != tc.wantAttempts {
				t.Errorf("server saw %d requests, want %d", got, tc.wantAttempts)
			}
			if errors.Is(err, ErrBadReply) != tc.wantBadReply {
				t.Errorf("errors.Is(err, ErrBadReply) = %v, want %v (%v)", !tc.wantBadReply, tc.wantBadReply, err)
			}
			if errors.Is(err, context.DeadlineExceeded) != tc.wantDeadline {
				t.Errorf("errors.Is(err, DeadlineExceeded) = %v, want %v (%v)", !tc.wantDeadline, tc.wantDeadline, err)
			}
			st := c.Stats()
			if st.Failures != 1 || st.HTTPCalls != int64(tc.wantAttempts) {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

func TestHangRespectsTimeout(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	srv.Handle(func(judgetest.Request) judgetest.Reply { return judgetest.Reply{Hang: true} })
	c := newClient(t, srv, func(c *ClientConfig) { c.Timeout = 200 * time.Millisecond; c.MaxAttempts = 1 })
	start := time.Now()
	_, err := c.Pointwise(context.Background(), pw(1))
	elapsed := time.Since(start)
	if err == nil {
		t.Fatal("hang returned no error")
	}
	if elapsed < 200*time.Millisecond || elapsed > 700*time.Millisecond {
		t.Errorf("elapsed %v, want about the 200ms timeout", elapsed)
	}
}

func TestCallerCancel(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	srv.Handle(func(judgetest.Request) judgetest.Reply { return judgetest.Reply{Hang: true} })
	c := newClient(t, srv, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Pointwise(ctx, pw(1))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the caller's deadline", err)
	}
	var ce *CallError
	if errors.As(err, &ce) {
		t.Errorf("caller cancellation reported as a judge failure: %v", err)
	}
}

func TestPairwise(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		check    func(string) error
		wantErr  bool
		wantText string
	}{
		{name: "text returned verbatim", content: "A is vivid, B is flat.\n[[A]]", wantText: "A is vivid, B is flat.\n[[A]]"},
		{name: "no verdict is still text without a check", content: "Both fine.", wantText: "Both fine."},
		{name: "empty reply fails", content: "  \n", wantErr: true},
		{name: "check rejects", content: "Both fine.", wantErr: true, check: func(s string) error {
			if !strings.Contains(s, "[[") {
				return errors.New("no verdict")
			}
			return nil
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := judgetest.New()
			defer srv.Close()
			srv.Handle(func(judgetest.Request) judgetest.Reply { return judgetest.Reply{Content: tc.content} })
			cache := &MemCache{}
			c := newClient(t, srv, func(c *ClientConfig) { c.PairwiseCheck = tc.check; c.Cache = cache })
			res, err := c.Pairwise(context.Background(), PairwiseRequest{Prompt: "p", A: "a", B: "b"})
			if tc.wantErr {
				if !errors.Is(err, ErrBadReply) {
					t.Fatalf("err = %v, want ErrBadReply", err)
				}
				if cache.Len() != 0 {
					t.Error("a rejected reply was cached")
				}
				return
			}
			if err != nil || res.Text != tc.wantText {
				t.Fatalf("got %q, %v; want %q", res.Text, err, tc.wantText)
			}
			reqs := srv.Received()
			if len(reqs) != 1 || !strings.Contains(reqs[0].Text(), "[Answer A]\n<<<ANSWER_A ") || !strings.Contains(reqs[0].Text(), ">>>\na\n<<<END_ANSWER_A ") {
				t.Errorf("request did not carry answer A: %+v", reqs)
			}
		})
	}
}

func TestCacheAvoidsRequests(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	srv.When("story 2", judgetest.Reply{Content: `{"score": 9, "reason": "two"}`})
	dir := filepath.Join(t.TempDir(), "cache")
	store := NewCache(dir)
	var err error
	c := newClient(t, srv, func(c *ClientConfig) { c.Cache = store })
	ctx := context.Background()
	first := make([]PointwiseResult, 3)
	for i := range first {
		if first[i], err = c.Pointwise(ctx, pw(i)); err != nil {
			t.Fatal(err)
		}
	}
	if srv.Requests() != 3 {
		t.Fatalf("first pass made %d requests, want 3", srv.Requests())
	}
	// A second client (a rerun) with the same store pays nothing.
	c2 := newClient(t, srv, func(c *ClientConfig) { c.Cache = store })
	for i := range first {
		got, err := c2.Pointwise(ctx, pw(i))
		if err != nil {
			t.Fatal(err)
		}
		if !got.Cached || got.Score != first[i].Score || got.Raw != first[i].Raw {
			t.Errorf("rerun %d = %+v, want cached copy of %+v", i, got, first[i])
		}
	}
	if srv.Requests() != 3 {
		t.Errorf("rerun made %d new requests, want 0", srv.Requests()-3)
	}
	if first[2].Score != 9 {
		t.Errorf("matched reply not used: %+v", first[2])
	}
	st := c2.Stats()
	if st.CacheHits != 3 || st.HTTPCalls != 0 || st.PromptTokens != 0 {
		t.Errorf("rerun stats %+v", st)
	}
	// A different sampling parameter or template misses the cache.
	mutations := []struct {
		name   string
		mutate func(*ClientConfig)
	}{
		{name: "temperature", mutate: func(c *ClientConfig) { c.Sampling.Temperature = 0.7 }},
		{name: "model", mutate: func(c *ClientConfig) { c.Model = "other-judge" }},
		{name: "template", mutate: func(c *ClientConfig) {
			tm, err := ParseTemplate("custom", "Rate {{.Response}} for {{.Prompt}} as JSON")
			if err != nil {
				t.Fatal(err)
			}
			c.PointwiseTemplate = tm
		}},
		{name: "system prompt", mutate: func(c *ClientConfig) { c.SystemPrompt = "You are a strict critic." }},
	}
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			before := srv.Requests()
			c3 := newClient(t, srv, func(c *ClientConfig) { c.Cache = store; m.mutate(c) })
			res, err := c3.Pointwise(ctx, pw(0))
			if err != nil {
				t.Fatal(err)
			}
			if res.Cached || srv.Requests() != before+1 {
				t.Errorf("changed %s still hit the cache", m.name)
			}
		})
	}
}

func TestBadReplyNotCached(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	srv.Enqueue(judgetest.Reply{Content: "no score here"})
	cache := &MemCache{}
	c := newClient(t, srv, func(c *ClientConfig) { c.Cache = cache })
	if _, err := c.Pointwise(context.Background(), pw(1)); !errors.Is(err, ErrBadReply) {
		t.Fatalf("err = %v, want ErrBadReply", err)
	}
	res, err := c.Pointwise(context.Background(), pw(1))
	if err != nil || res.Cached || res.Score != 7 {
		t.Fatalf("second call = %+v, %v; want a fresh default reply", res, err)
	}
	if srv.Requests() != 2 {
		t.Errorf("server saw %d requests, want 2", srv.Requests())
	}
}

func TestSingleflightDeduplicates(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	srv.SetLatency(200 * time.Millisecond)
	c := newClient(t, srv, func(c *ClientConfig) { c.Cache = &MemCache{} })
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Pointwise(context.Background(), pw(42))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if srv.Requests() != 1 {
		t.Errorf("server saw %d requests for %d identical ones, want 1", srv.Requests(), n)
	}
	st := c.Stats()
	if st.Requests != n || st.HTTPCalls != 1 || st.Deduplicated+st.CacheHits != n-1 {
		t.Errorf("stats %+v", st)
	}
}

func TestConcurrencyLimit(t *testing.T) {
	tests := []struct {
		name  string
		limit int
	}{
		{name: "one", limit: 1},
		{name: "three", limit: 3},
		{name: "eight", limit: 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := judgetest.New()
			defer srv.Close()
			srv.SetLatency(30 * time.Millisecond)
			c := newClient(t, srv, func(c *ClientConfig) { c.Concurrency = tc.limit })
			errs := RunAll(context.Background(), 24, 24, func(ctx context.Context, i int) error {
				_, err := c.Pointwise(ctx, pw(i))
				return err
			})
			if failed, first := Failures(errs); failed > 0 {
				t.Fatalf("%d failed: %v", failed, first)
			}
			if got := srv.MaxInFlight(); got != tc.limit {
				t.Errorf("server saw %d in flight, want exactly the limit %d", got, tc.limit)
			}
		})
	}
}

func TestRequestsPerMinute(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	const rpm, n = 1200, 40 // 20/s, burst of 20: the other 20 need >= 1 s
	c := newClient(t, srv, func(c *ClientConfig) { c.RequestsPerMinute = rpm; c.Concurrency = 40 })
	start := time.Now()
	errs := RunAll(context.Background(), n, n, func(ctx context.Context, i int) error {
		_, err := c.Pointwise(ctx, pw(i))
		return err
	})
	elapsed := time.Since(start)
	if failed, first := Failures(errs); failed > 0 {
		t.Fatalf("%d failed: %v", failed, first)
	}
	minElapsed := time.Duration(float64(n-rpm/60) / (rpm / 60.0) * float64(time.Second))
	if elapsed < minElapsed-50*time.Millisecond || elapsed > minElapsed+time.Second {
		t.Errorf("%d requests at %d rpm took %v, want about %v", n, rpm, elapsed, minElapsed)
	}
}

func TestTokensPerMinute(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	// Fix usage so the correction is known: each call costs 1000 tokens.
	srv.Handle(func(judgetest.Request) judgetest.Reply {
		return judgetest.Reply{Content: `{"score": 5, "reason": "r"}`, PromptTokens: 900, CompletionTokens: 100}
	})
	const tpm, n = 120000, 6 // 2000 tokens/s, burst 2000: 6000 tokens need >= 2 s
	c := newClient(t, srv, func(c *ClientConfig) { c.TokensPerMinute = tpm; c.Sampling.MaxTokens = 0 })
	start := time.Now()
	errs := RunAll(context.Background(), n, 1, func(ctx context.Context, i int) error {
		_, err := c.Pointwise(ctx, pw(i))
		return err
	})
	elapsed := time.Since(start)
	if failed, first := Failures(errs); failed > 0 {
		t.Fatalf("%d failed: %v", failed, first)
	}
	// The last call is charged its estimate (prompt bytes / 4) when it is
	// sent; the correction to 1000 comes after, so it delays nothing.
	prompt, err := DefaultPointwise().Render(PointwiseData{Prompt: pw(0).Prompt, Response: pw(0).Response})
	if err != nil {
		t.Fatal(err)
	}
	charged := float64((n-1)*1000) + float64(len(prompt))/4
	want := time.Duration((charged - tpm/60) / (tpm / 60.0) * float64(time.Second))
	if elapsed < want-50*time.Millisecond || elapsed > want+500*time.Millisecond {
		t.Errorf("%d requests of 1000 tokens at %d tpm took %v, want about %v", n, tpm, elapsed, want)
	}
}

func TestAccounting(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	srv.Handle(func(judgetest.Request) judgetest.Reply {
		return judgetest.Reply{Content: `{"score": 5, "reason": "r"}`, PromptTokens: 1000, CompletionTokens: 200}
	})
	srv.Enqueue(judgetest.Reply{Status: 503})
	prices := Prices{InputPerMTok: 2, OutputPerMTok: 8}
	c := newClient(t, srv, func(c *ClientConfig) { c.Prices = prices; c.Cache = &MemCache{} })
	ctx := context.Background()
	for i := range 3 {
		if _, err := c.Pointwise(ctx, pw(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Pointwise(ctx, pw(0)); err != nil { // cache hit
		t.Fatal(err)
	}
	got := c.Stats()
	want := Stats{
		Requests: 4, HTTPCalls: 4, Retries: 1, CacheHits: 1,
		PromptTokens: 3000, CompletionTokens: 600,
		CostUSD: 3 * (1000*2.0 + 200*8.0) / 1e6,
	}
	if diff := got.CostUSD - want.CostUSD; diff > 1e-12 || diff < -1e-12 {
		t.Errorf("cost %v, want %v", got.CostUSD, want.CostUSD)
	}
	got.CostUSD = want.CostUSD
	if got != want {
		t.Errorf("stats\n got %+v\nwant %+v", got, want)
	}
}

func TestAPIKeyNeverLeaks(t *testing.T) {
	const key = "sk-live-SECRET-0123456789abcdef"
	srv := judgetest.New()
	defer srv.Close()
	// A hostile server that echoes the Authorization header in its errors.
	srv.WhenFunc("story 1", func(r judgetest.Request) judgetest.Reply {
		return judgetest.Reply{Status: 401, Content: "invalid token " + r.Header.Get("Authorization")}
	})
	srv.WhenFunc("story 2", func(r judgetest.Request) judgetest.Reply {
		return judgetest.Reply{Status: 500, Content: "upstream saw " + r.Header.Get("Authorization")}
	})
	srv.WhenFunc("story 3", func(r judgetest.Request) judgetest.Reply {
		return judgetest.Reply{Content: "no score, auth was " + r.Header.Get("Authorization")}
	})
	dir := filepath.Join(t.TempDir(), "cache")
	store := NewCache(dir)
	var err error
	c := newClient(t, srv, func(c *ClientConfig) { c.APIKey = key; c.Cache = store })
	ctx := context.Background()
	if _, err := c.Pointwise(ctx, pw(0)); err != nil {
		t.Fatal(err)
	}
	if got := srv.Received()[0].Header.Get("Authorization"); got != "Bearer "+key {
		t.Fatalf("key not sent: Authorization %q", got)
	}
	for i := 1; i <= 2; i++ {
		// A fresh client per story: after a 401 a client sends nothing more.
		c := newClient(t, srv, func(c *ClientConfig) { c.APIKey = key; c.Cache = store })
		_, err := c.Pointwise(ctx, pw(i))
		if err == nil {
			t.Fatalf("story %d: no error", i)
		}
		if strings.Contains(err.Error(), key) || strings.Contains(fmt.Sprintf("%+v %#v", err, err), key) {
			t.Errorf("story %d: error leaks the key: %v", i, err)
		}
		if !strings.Contains(err.Error(), "[REDACTED]") {
			t.Errorf("story %d: error lost its message: %v", i, err)
		}
		for e := error(err); e != nil; e = errors.Unwrap(e) {
			if strings.Contains(e.Error(), key) {
				t.Errorf("story %d: wrapped error leaks the key: %v", i, e)
			}
		}
	}
	// A bad reply echoing the key is kept for the dead-letter record with
	// the key redacted, and is not cached.
	c = newClient(t, srv, func(c *ClientConfig) { c.APIKey = key; c.Cache = store })
	_, err = c.Pointwise(ctx, pw(3))
	var re *ReplyError
	if !errors.As(err, &re) {
		t.Fatalf("story 3: err = %v, want a ReplyError", err)
	}
	if strings.Contains(re.Reply, key) || !strings.Contains(re.Reply, "auth was Bearer [REDACTED]") {
		t.Errorf("story 3: dead-letter reply %q", re.Reply)
	}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.Contains(p, key) {
			t.Errorf("cache path %s holds the key", p)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), key) {
			t.Errorf("cache file %s holds the key", p)
		}
		return nil
	})
	stats := fmt.Sprintf("%+v", c.Stats())
	if strings.Contains(stats, key) {
		t.Error("stats hold the key")
	}
	// The key is not part of the cache key: another key reuses the cache.
	before := srv.Requests()
	c2 := newClient(t, srv, func(c *ClientConfig) { c.APIKey = "sk-other"; c.Cache = store })
	if res, err := c2.Pointwise(ctx, pw(0)); err != nil || !res.Cached || srv.Requests() != before {
		t.Errorf("other API key missed the cache: %+v, %v", res, err)
	}
}

func TestNewClientValidates(t *testing.T) {
	tests := []struct {
		name string
		cfg  ClientConfig
	}{
		{name: "no base URL", cfg: ClientConfig{Model: "m"}},
		{name: "no host", cfg: ClientConfig{BaseURL: "/v1", Model: "m"}},
		{name: "credentials in URL", cfg: ClientConfig{BaseURL: "https://user:pw@example.com/v1", Model: "m"}},
		{name: "no model", cfg: ClientConfig{BaseURL: "https://example.com/v1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewClient(tc.cfg); err == nil {
				t.Error("NewClient succeeded")
			}
		})
	}
}

func TestRequestCarriesSampling(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	seed := 1234
	c := newClient(t, srv, func(c *ClientConfig) {
		c.Sampling = Sampling{Temperature: 0.1, MaxTokens: 300, Seed: &seed}
		c.SystemPrompt = "You are a helpful assistant."
	})
	if _, err := c.Pointwise(context.Background(), PointwiseRequest{Prompt: "P1", Criterion: "C1", Response: "R1"}); err != nil {
		t.Fatal(err)
	}
	r := srv.Received()[0]
	if r.Model != "test-judge" || r.MaxTokens != 300 || r.Seed == nil || *r.Seed != seed ||
		r.Temperature == nil || *r.Temperature < 0.099 || *r.Temperature > 0.101 {
		t.Errorf("request parameters %+v", r)
	}
	if len(r.Messages) != 2 || r.Messages[0].Role != "system" || r.Messages[1].Role != "user" {
		t.Fatalf("messages %+v", r.Messages)
	}
	for _, w := range []string{"P1", "C1", "R1"} {
		if !strings.Contains(r.Messages[1].Content, w) {
			t.Errorf("user message lacks %q", w)
		}
	}
}
