package judge

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/judge/judgetest"
)

func completeConfig(c *ClientConfig) { c.Structured = StructuredOff; c.Model = "writer-1" }

// TestCompleteSendsMessagesAsGiven checks that a plain completion carries no guard system
// message, no response_format and the caller's messages only.
func TestCompleteSendsMessagesAsGiven(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	srv.Handle(func(judgetest.Request) judgetest.Reply { return judgetest.Reply{Content: "An essay."} })
	c := newClient(t, srv, completeConfig)
	got, err := c.Complete(context.Background(), []Message{{Role: "user", Content: "Write an essay."}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "An essay." || got.Cached {
		t.Errorf("Complete = %+v", got)
	}
	reqs := srv.Received()
	if len(reqs) != 1 || len(reqs[0].Messages) != 1 || reqs[0].Messages[0].Content != "Write an essay." || reqs[0].WantsJSON() {
		t.Errorf("sent %+v, want the one user message as given", reqs)
	}
}

// TestCompleteRetriesAndCaches: a 429 with Retry-After is waited out, and a second client
// on the same cache folder (a rerun) makes no call and reports the first call's tokens.
func TestCompleteRetriesAndCaches(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	srv.Enqueue(judgetest.Reply{Status: 429, RetryAfter: "1"}, judgetest.Reply{Content: "Poem.", PromptTokens: 11, CompletionTokens: 22})
	dir := t.TempDir()
	msgs := []Message{{Role: "user", Content: "Write a poem."}}
	start := time.Now()
	first, err := newClient(t, srv, func(c *ClientConfig) { completeConfig(c); c.Cache = NewCache(dir) }).Complete(context.Background(), msgs, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < time.Second {
		t.Errorf("answered after %v, before the 1 s Retry-After", el)
	}
	rerun := newClient(t, srv, func(c *ClientConfig) { completeConfig(c); c.Cache = NewCache(dir) })
	again, err := rerun.Complete(context.Background(), msgs, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Completion{Text: "Poem.", PromptTokens: 11, CompletionTokens: 22}
	if first != want {
		t.Errorf("first = %+v, want %+v", first, want)
	}
	want.Cached = true
	if again != want {
		t.Errorf("rerun = %+v, want %+v", again, want)
	}
	if n := srv.Requests(); n != 2 {
		t.Errorf("server saw %d requests, want 2 (the 429 and its retry, none for the rerun)", n)
	}
	if st := rerun.Stats(); st.CacheHits != 1 || st.HTTPCalls != 0 {
		t.Errorf("rerun stats %+v, want one cache hit and no call", st)
	}
}

// TestCompleteBudget: with $1 per million tokens each way, a call with 1000 tokens of reply
// reserves just over $0.001; the third would pass $0.0025 and is not sent, nor any after it.
func TestCompleteBudget(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	srv.Handle(func(judgetest.Request) judgetest.Reply {
		return judgetest.Reply{Content: "ok", PromptTokens: 100, CompletionTokens: 900}
	})
	c := newClient(t, srv, func(c *ClientConfig) {
		completeConfig(c)
		c.Sampling.MaxTokens = 1000
		c.Prices = Prices{InputPerMTok: 1, OutputPerMTok: 1}
	})
	b := NewBudget(0.0025)
	var errs []error
	for _, p := range []string{"a", "b", "c", "d"} {
		_, err := c.Complete(context.Background(), []Message{{Role: "user", Content: p}}, nil, b)
		errs = append(errs, err)
	}
	for i, want := range []bool{false, false, true, true} {
		if got := errors.Is(errs[i], ErrBudget); got != want {
			t.Errorf("call %d: err %v, want ErrBudget %v", i, errs[i], want)
		}
	}
	if srv.Requests() != 2 || !b.Stopped() || b.Spent() != 0.002 {
		t.Errorf("requests %d, stopped %v, spent %v; want 2, true, 0.002", srv.Requests(), b.Stopped(), b.Spent())
	}
	if st := c.Stats(); st.Failures != 0 || st.CostUSD != 0.002 {
		t.Errorf("stats %+v: a budget stop is not a failure", st)
	}
}
