package judge

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"time"
)

// Defaults applied by NewClient to zero ClientConfig fields.
const (
	DefaultConcurrency   = 8
	DefaultTimeout       = 120 * time.Second
	DefaultMaxAttempts   = 4
	DefaultBackoffBase   = 1 * time.Second
	DefaultBackoffMax    = 60 * time.Second
	DefaultMaxRetryAfter = 5 * time.Minute
)

// APIKeyEnvVars are the environment variables KeyFromEnv reads, in order.
var APIKeyEnvVars = []string{"RLCURATE_JUDGE_API_KEY", "OPENAI_API_KEY"}

// KeyFromEnv returns the first non-empty value of APIKeyEnvVars and the
// variable's name, or two empty strings.
func KeyFromEnv() (key, envVar string) {
	for _, name := range APIKeyEnvVars {
		if v := os.Getenv(name); v != "" {
			return v, name
		}
	}
	return "", ""
}

// ClientConfig configures a Client. BaseURL and Model are required; zero values
// elsewhere take the defaults above or mean "no limit".
type ClientConfig struct {
	// BaseURL is the OpenAI-compatible endpoint, e.g.
	// "https://api.openai.com/v1" (requests go to BaseURL+"/chat/completions").
	BaseURL string
	// Model is the judge model name.
	Model string
	// APIKey is sent as a bearer token. It never appears in errors, cache
	// keys, cache values or Stats.
	APIKey string
	// SystemPrompt, if not empty, is added to the system message (after
	// GuardSystemPrompt, which is always sent) before the rendered template.
	SystemPrompt string
	// Sampling holds temperature, max tokens and seed.
	Sampling Sampling
	// Structured is how the verdict or score is asked for and read (default
	// StructuredAuto: response_format json_object, the text protocol as fallback).
	Structured Structured

	// Concurrency caps HTTP calls in flight (default 8).
	Concurrency int
	// RequestsPerMinute and TokensPerMinute are token-bucket budgets (0 = none).
	// Prompt tokens are estimated as len(text)/4 before a call plus
	// MaxTokens (or 0); the estimate is corrected with the reported usage.
	RequestsPerMinute float64
	TokensPerMinute   float64
	// Timeout bounds each HTTP attempt (default 120 s).
	Timeout time.Duration
	// MaxAttempts bounds the attempts per request, first included (default 4).
	MaxAttempts int
	// BackoffBase and BackoffMax shape the exponential backoff between
	// attempts (defaults 1 s and 60 s). A Retry-After header, if longer,
	// replaces the backoff, up to MaxRetryAfter (default 5 min).
	BackoffBase   time.Duration
	BackoffMax    time.Duration
	MaxRetryAfter time.Duration
	// RetryBadReply makes an unusable reply (no valid score, failed
	// PairwiseCheck) count as a failed attempt and be retried; by default it
	// fails the request at once.
	RetryBadReply bool

	// Prices turn token counts into CostUSD in Stats.
	Prices Prices
	// Cache stores replies; nil disables caching.
	Cache CacheStore
	// PointwiseTemplate and PairwiseTemplate default to the embedded ones.
	PointwiseTemplate *Template
	PairwiseTemplate  *Template
	// PairwiseCheck, if set, validates a pairwise reply (the rewards package
	// can pass its verdict parser): a reply it rejects is neither cached nor
	// returned. An empty reply is always rejected.
	PairwiseCheck func(text string) error
	// HTTPClient overrides the HTTP client (default: a pooled client sized
	// for Concurrency).
	HTTPClient *http.Client
}

// withDefaults validates c and fills its zero fields.
func (c ClientConfig) withDefaults() (ClientConfig, error) {
	if c.BaseURL == "" {
		return c, fmt.Errorf("judge config: BaseURL is empty")
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Host == "" {
		return c, fmt.Errorf("judge config: BaseURL %q has no host", c.BaseURL)
	}
	if u.User != nil {
		return c, fmt.Errorf("judge config: BaseURL must not carry credentials; pass APIKey")
	}
	if c.Model == "" {
		return c, fmt.Errorf("judge config: Model is empty")
	}
	if c.Structured == "" {
		c.Structured = StructuredAuto
	}
	if _, err := ParseStructured(string(c.Structured)); err != nil {
		return c, fmt.Errorf("judge config: %w", err)
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.BackoffBase <= 0 {
		c.BackoffBase = DefaultBackoffBase
	}
	if c.BackoffMax <= 0 {
		c.BackoffMax = DefaultBackoffMax
	}
	if c.MaxRetryAfter <= 0 {
		c.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if c.PointwiseTemplate == nil {
		c.PointwiseTemplate = DefaultPointwise()
	}
	if c.PairwiseTemplate == nil {
		c.PairwiseTemplate = DefaultPairwise()
	}
	if c.HTTPClient == nil {
		c.HTTPClient = newHTTPClient(c.Concurrency)
	}
	return c, nil
}
