package judge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
)

// CacheStore stores judge replies by content-addressed key. Get reports
// found=false (and no error) for a missing key. Implementations must be safe
// for concurrent use; a Put of an existing key may overwrite it (the value
// for a key never changes in meaning).
type CacheStore interface {
	Get(ctx context.Context, key string) (val []byte, found bool, err error)
	Put(ctx context.Context, key string, val []byte) error
}

// Message is one chat message sent to the judge.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Sampling holds the sampling parameters sent with every call.
type Sampling struct {
	// Temperature is sent as is; note that go-openai omits a temperature of
	// exactly 0, so the server's default applies then.
	Temperature float32 `json:"temperature"`
	// MaxTokens caps the reply length (sent as max_tokens); 0 = server default.
	MaxTokens int `json:"max_tokens,omitempty"`
	// Seed is sent when set, for endpoints that support it.
	Seed *int `json:"seed,omitempty"`
}

// cacheKeyInput is what a cache key is the hash of. The API key is never
// part of it.
type cacheKeyInput struct {
	Host            string    `json:"host"`
	Model           string    `json:"model"`
	TemplateVersion string    `json:"template_version"`
	Messages        []Message `json:"messages"`
	Sampling        Sampling  `json:"sampling"`
}

// CacheKey returns the hex SHA-256 identifying a judge call: the host of
// baseURL, the model, the prompt template version, the full rendered
// messages and the sampling parameters. The scheme, path and any credentials
// in baseURL are not part of it.
func CacheKey(baseURL, model, templateVersion string, msgs []Message, s Sampling) (string, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return "", fmt.Errorf("cache key: parse base URL: %w", err)
	}
	b, err := json.Marshal(cacheKeyInput{
		Host: u.Host, Model: model, TemplateVersion: templateVersion, Messages: msgs, Sampling: s,
	})
	if err != nil {
		return "", fmt.Errorf("cache key: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// cachedReply is what the Client stores under a cache key.
type cachedReply struct {
	Text             string `json:"text"`
	Model            string `json:"model,omitempty"`
	PromptTokens     int    `json:"prompt_tokens"`
	CompletionTokens int    `json:"completion_tokens"`
}
