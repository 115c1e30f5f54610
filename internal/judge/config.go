package judge

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rlcurate/rlcurate/internal/blob"
)

// Config is the judge a job or the reward service uses, as its flags describe it, in a
// form that travels to Beam workers as a DoFn field. It holds no API key: New reads it
// from the environment (KeyFromEnv). Templates travel as text, so workers need no access
// to the template files. New turns a Config into a Judge.
type Config struct {
	Kind              string // "heuristic" or "openai"
	BaseURL           string
	Model             string
	Concurrency       int
	RequestsPerMinute float64
	TokensPerMinute   float64
	Timeout           time.Duration
	MaxAttempts       int
	Temperature       float64
	MaxTokens         int
	Seed              int
	HasSeed           bool
	PriceInput        float64 // US dollars per million prompt tokens
	PriceOutput       float64 // US dollars per million completion tokens
	Cache             string  // local folder or gs:// prefix; "" for none
	PointwiseTemplate string  // template text; "" for the default
	PairwiseTemplate  string
	// Structured is --judge-structured: auto (""), on or off (see judge.Structured).
	Structured string
	// PairwiseVerdict makes the client reject (and not cache) pairwise replies without a
	// verdict token.
	PairwiseVerdict bool
	// KeepThinking is --judge-strip-thinking=false (writing label, serve): the pairwise
	// judge sees whole policy completions, thinking included (Pair.KeepThinking). New
	// does not read it; the labelling does.
	KeepThinking bool
}

// Validate checks the judge kind and what that kind needs.
func (c Config) Validate() error {
	switch c.Kind {
	case "heuristic":
		return nil
	case "openai":
		if c.BaseURL == "" || c.Model == "" {
			return fmt.Errorf("judge openai needs --judge-base-url and --judge-model")
		}
		if _, err := ParseStructured(c.Structured); err != nil {
			return err
		}
		if c.PointwiseTemplate != "" {
			if _, err := ParseTemplate("pointwise", c.PointwiseTemplate); err != nil {
				return err
			}
		}
		if c.PairwiseTemplate != "" {
			if _, err := ParseTemplate("pairwise", c.PairwiseTemplate); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("unknown judge %q (want heuristic or openai)", c.Kind)
}

// Workers returns how many requests a sample may have in flight and how many samples a
// bundle keeps in flight: enough to keep every connection of the client busy.
func (c Config) Workers() (perSample, samples int) {
	conc := c.Concurrency
	if conc <= 0 {
		conc = DefaultConcurrency
	}
	if c.Kind == "heuristic" {
		return 1, 4
	}
	return conc, max(8, 2*conc)
}

// Describe returns the judge's settings for the manifest's config (no secret in it).
func (c Config) Describe() map[string]any {
	if c.Kind == "heuristic" {
		return map[string]any{"kind": "heuristic"}
	}
	return map[string]any{
		"kind": c.Kind, "base_url": c.BaseURL, "model": c.Model, "concurrency": c.Concurrency,
		"rpm": c.RequestsPerMinute, "tpm": c.TokensPerMinute, "timeout": c.Timeout.String(),
		"max_attempts": c.MaxAttempts, "temperature": c.Temperature, "max_tokens": c.MaxTokens,
		"seed": c.seed(), "structured": c.structuredName(), "price_input": c.PriceInput, "price_output": c.PriceOutput, "cache": c.Cache,
		"pointwise_template": templateVersion(c.PointwiseTemplate, DefaultPointwise()),
		"pairwise_template":  templateVersion(c.PairwiseTemplate, DefaultPairwise()),
	}
}

// Key identifies the config, for a registry of one judge per process and config.
func (c Config) Key() string {
	b, _ := json.Marshal(c)
	return string(b)
}

func (c Config) structuredName() string {
	s, err := ParseStructured(c.Structured)
	if err != nil {
		return c.Structured
	}
	return string(s)
}

func (c Config) seed() *int {
	if !c.HasSeed {
		return nil
	}
	s := c.Seed
	return &s
}

func templateVersion(text string, def *Template) string {
	if text == "" {
		return def.Version
	}
	t, err := ParseTemplate("t", text)
	if err != nil {
		return "invalid"
	}
	return t.Version
}

// openCache opens the configured reply cache (nil for none). A local folder is created,
// and checked to be writable, up front; a gs:// prefix is used as it is.
func (c Config) openCache(ctx context.Context) (CacheStore, error) {
	switch {
	case c.Cache == "":
		return nil, nil
	case !blob.IsGCS(c.Cache):
		if err := blob.CheckWritable(ctx, c.Cache); err != nil {
			return nil, fmt.Errorf("judge cache: %w", err)
		}
	}
	return NewCache(c.Cache), nil
}
