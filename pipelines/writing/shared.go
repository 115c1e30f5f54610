package writing

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/rewards"
)

// meteredJudge is a judge that keeps usage statistics.
type meteredJudge interface {
	judge.Judge
	Stats() judge.Stats
}

// sharedJudge is one judge per process and config, shared by every DoFn instance so that
// the client's concurrency limit, budgets and in-flight deduplication cover the whole
// worker. Usage is handed out once: each unreported call returns what no earlier call
// returned, so the deltas emitted by bundles add up to the process's total.
type sharedJudge struct {
	meteredJudge
	mu       sync.Mutex
	reported judge.Stats
}

var (
	judgesMu sync.Mutex
	judges   = map[string]*sharedJudge{}
)

// openJudge returns the process's judge for c, building it on first use.
func openJudge(c JudgeConfig) (*sharedJudge, error) {
	judgesMu.Lock()
	defer judgesMu.Unlock()
	if j, ok := judges[c.key()]; ok {
		return j, nil
	}
	j, err := newJudge(c)
	if err != nil {
		return nil, err
	}
	s := &sharedJudge{meteredJudge: j}
	judges[c.key()] = s
	return s, nil
}

// unreported returns the usage since the previous call.
func (s *sharedJudge) unreported() judge.Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Stats()
	d := subStats(now, s.reported)
	s.reported = now
	return d
}

// NewJudge builds the judge c describes, for callers outside a pipeline (the reward
// service): the heuristic, or an HTTP client with c's cache, budgets and templates.
func NewJudge(c JudgeConfig) (judge.Judge, error) { return newJudge(c) }

func newJudge(c JudgeConfig) (meteredJudge, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Kind == "heuristic" {
		return &countingJudge{j: judge.Heuristic{}}, nil
	}
	cache, err := c.cacheStore()
	if err != nil {
		return nil, err
	}
	key, _ := judge.KeyFromEnv()
	cfg := judge.Config{
		BaseURL: c.BaseURL, Model: c.Model, APIKey: key,
		Sampling:    judge.Sampling{Temperature: float32(c.Temperature), MaxTokens: c.MaxTokens, Seed: c.seed()},
		Concurrency: c.Concurrency, RequestsPerMinute: c.RequestsPerMinute, TokensPerMinute: c.TokensPerMinute,
		Timeout: c.Timeout, MaxAttempts: c.MaxAttempts,
		Prices: judge.Prices{InputPerMTok: c.PriceInput, OutputPerMTok: c.PriceOutput},
		Cache:  cache,
	}
	if c.PointwiseTemplate != "" {
		if cfg.PointwiseTemplate, err = judge.ParseTemplate("pointwise", c.PointwiseTemplate); err != nil {
			return nil, err
		}
	}
	if c.PairwiseTemplate != "" {
		if cfg.PairwiseTemplate, err = judge.ParseTemplate("pairwise", c.PairwiseTemplate); err != nil {
			return nil, err
		}
	}
	if c.PairwiseVerdict {
		cfg.PairwiseCheck = checkVerdict
	}
	cl, err := judge.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("judge: %w", err)
	}
	return cl, nil
}

// checkVerdict rejects a pairwise reply without a verdict token.
func checkVerdict(text string) error {
	if rewards.ParseVerdict(text) == rewards.VerdictUnknown {
		return fmt.Errorf("no verdict token [[A]], [[B]] or [[C]]")
	}
	return nil
}

// countingJudge counts the requests and failures of a judge without its own statistics
// (the offline heuristic).
type countingJudge struct {
	j                  judge.Judge
	requests, failures atomic.Int64
}

func (c *countingJudge) Pointwise(ctx context.Context, req judge.PointwiseRequest) (judge.PointwiseResult, error) {
	res, err := c.j.Pointwise(ctx, req)
	c.count(err)
	return res, err
}

func (c *countingJudge) Pairwise(ctx context.Context, req judge.PairwiseRequest) (judge.PairwiseResult, error) {
	res, err := c.j.Pairwise(ctx, req)
	c.count(err)
	return res, err
}

func (c *countingJudge) count(err error) {
	c.requests.Add(1)
	if err != nil {
		c.failures.Add(1)
	}
}

func (c *countingJudge) Stats() judge.Stats {
	return judge.Stats{Requests: c.requests.Load(), Failures: c.failures.Load()}
}

// subStats returns a - b field by field.
func subStats(a, b judge.Stats) judge.Stats {
	return judge.Stats{
		Requests: a.Requests - b.Requests, HTTPCalls: a.HTTPCalls - b.HTTPCalls, Retries: a.Retries - b.Retries,
		CacheHits: a.CacheHits - b.CacheHits, Deduplicated: a.Deduplicated - b.Deduplicated,
		Failures: a.Failures - b.Failures, BadReplies: a.BadReplies - b.BadReplies, CacheErrors: a.CacheErrors - b.CacheErrors,
		PromptTokens: a.PromptTokens - b.PromptTokens, CompletionTokens: a.CompletionTokens - b.CompletionTokens,
		CostUSD: a.CostUSD - b.CostUSD,
	}
}
