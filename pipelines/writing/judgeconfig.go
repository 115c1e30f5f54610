package writing

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/judge"
)

// JudgeConfig is the judge a job uses, in a form that travels to Beam workers as a DoFn
// field. It holds no API key: workers read it from their environment (judge.KeyFromEnv).
// Templates travel as text, so workers need no access to the template files.
type JudgeConfig struct {
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
	// PairwiseVerdict makes the client reject (and not cache) pairwise replies without a
	// verdict token.
	PairwiseVerdict bool
}

// Validate checks the judge kind and what that kind needs.
func (c JudgeConfig) Validate() error {
	switch c.Kind {
	case "heuristic":
		return nil
	case "openai":
		if c.BaseURL == "" || c.Model == "" {
			return fmt.Errorf("judge openai needs --judge-base-url and --judge-model")
		}
		if c.PointwiseTemplate != "" {
			if _, err := judge.ParseTemplate("pointwise", c.PointwiseTemplate); err != nil {
				return err
			}
		}
		if c.PairwiseTemplate != "" {
			if _, err := judge.ParseTemplate("pairwise", c.PairwiseTemplate); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("unknown judge %q (want heuristic or openai)", c.Kind)
}

// Workers returns how many requests a sample may have in flight and how many samples a
// bundle keeps in flight: enough to keep every connection of the client busy.
func (c JudgeConfig) Workers() (perSample, samples int) {
	conc := c.Concurrency
	if conc <= 0 {
		conc = judge.DefaultConcurrency
	}
	if c.Kind == "heuristic" {
		return 1, 4
	}
	return conc, max(8, 2*conc)
}

// Describe returns the judge's settings for the manifest's config (no secret in it).
func (c JudgeConfig) Describe() map[string]any {
	if c.Kind == "heuristic" {
		return map[string]any{"kind": "heuristic"}
	}
	return map[string]any{
		"kind": c.Kind, "base_url": c.BaseURL, "model": c.Model, "concurrency": c.Concurrency,
		"rpm": c.RequestsPerMinute, "tpm": c.TokensPerMinute, "timeout": c.Timeout.String(),
		"max_attempts": c.MaxAttempts, "temperature": c.Temperature, "max_tokens": c.MaxTokens,
		"seed": c.seed(), "price_input": c.PriceInput, "price_output": c.PriceOutput, "cache": c.Cache,
		"pointwise_template": templateVersion(c.PointwiseTemplate, judge.DefaultPointwise()),
		"pairwise_template":  templateVersion(c.PairwiseTemplate, judge.DefaultPairwise()),
	}
}

func (c JudgeConfig) seed() *int {
	if !c.HasSeed {
		return nil
	}
	s := c.Seed
	return &s
}

func templateVersion(text string, def *judge.Template) string {
	if text == "" {
		return def.Version
	}
	t, err := judge.ParseTemplate("t", text)
	if err != nil {
		return "invalid"
	}
	return t.Version
}

// key identifies the config for the per-process client registry.
func (c JudgeConfig) key() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// cacheStore opens the configured reply cache (nil for none).
func (c JudgeConfig) cacheStore() (judge.CacheStore, error) {
	switch {
	case c.Cache == "":
		return nil, nil
	case blob.IsGCS(c.Cache):
		return judge.NewBlobCache(c.Cache, blobFiles{}), nil
	}
	return judge.NewDirCache(c.Cache)
}
