package judge

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/rlcurate/rlcurate/rewards"
)

// Metered is a Judge that keeps usage statistics: the Client, or the Heuristic with its
// requests and failures counted.
type Metered interface {
	Judge
	Stats() Stats
}

// New builds the judge c describes: the offline Heuristic, or a Client with c's cache,
// budgets and templates and the API key from the environment (KeyFromEnv).
func New(c Config) (Metered, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Kind == "heuristic" {
		return &counting{j: Heuristic{}}, nil
	}
	cache, err := c.openCache(context.Background())
	if err != nil {
		return nil, err
	}
	key, _ := KeyFromEnv()
	structured, err := ParseStructured(c.Structured)
	if err != nil {
		return nil, err
	}
	cfg := ClientConfig{
		Structured: structured,
		BaseURL:    c.BaseURL, Model: c.Model, APIKey: key,
		Sampling:    Sampling{Temperature: float32(c.Temperature), MaxTokens: c.MaxTokens, Seed: c.seed()},
		Concurrency: c.Concurrency, RequestsPerMinute: c.RequestsPerMinute, TokensPerMinute: c.TokensPerMinute,
		Timeout: c.Timeout, MaxAttempts: c.MaxAttempts,
		Prices: Prices{InputPerMTok: c.PriceInput, OutputPerMTok: c.PriceOutput},
		Cache:  cache,
	}
	if c.PointwiseTemplate != "" {
		if cfg.PointwiseTemplate, err = ParseTemplate("pointwise", c.PointwiseTemplate); err != nil {
			return nil, err
		}
	}
	if c.PairwiseTemplate != "" {
		if cfg.PairwiseTemplate, err = ParseTemplate("pairwise", c.PairwiseTemplate); err != nil {
			return nil, err
		}
	}
	if c.PairwiseVerdict {
		cfg.PairwiseCheck = func(text string) error { return checkVerdict(text, structured) }
	}
	cl, err := NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("judge: %w", err)
	}
	return cl, nil
}

// checkVerdict rejects a pairwise reply that states no verdict in the judge's own words.
func checkVerdict(text string, mode Structured) error {
	if parsePairwise(text, mode) == rewards.VerdictUnknown {
		return fmt.Errorf("no verdict token [[A]], [[B]] or [[C]] outside quoted text")
	}
	return nil
}

// counting counts the requests and failures of a judge without its own statistics (the
// offline heuristic).
type counting struct {
	j                  Judge
	requests, failures atomic.Int64
}

func (c *counting) Pointwise(ctx context.Context, req PointwiseRequest) (PointwiseResult, error) {
	res, err := c.j.Pointwise(ctx, req)
	c.count(err)
	return res, err
}

func (c *counting) Pairwise(ctx context.Context, req PairwiseRequest) (PairwiseResult, error) {
	res, err := c.j.Pairwise(ctx, req)
	c.count(err)
	return res, err
}

func (c *counting) count(err error) {
	c.requests.Add(1)
	if err != nil {
		c.failures.Add(1)
	}
}

func (c *counting) Stats() Stats {
	return Stats{Requests: c.requests.Load(), Failures: c.failures.Load()}
}
