package judge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"

	"github.com/rlcurate/rlcurate/internal/blob"
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

// Cache is the judge's content cache: a CacheStore under a local folder or a gs://
// prefix, read and written through package blob, so one cache may be shared by every
// worker of a job. A key's value lives in <prefix>/<first two hex digits>/<key>.json and
// is written all at once (blob.WriteAtomic), so a reader never sees a partial value and
// concurrent writers of one key are harmless.
type Cache struct {
	prefix string
}

// NewCache returns the Cache under prefix (a local folder or e.g. "gs://bucket/judge-cache").
// Nothing is created until the first Put.
func NewCache(prefix string) *Cache { return &Cache{prefix: prefix} }

// path returns the file for key; keys must be lowercase hex of 8..128 digits (what
// CacheKey returns), which also rules out path traversal.
func (c *Cache) path(key string) (string, error) {
	if len(key) < 8 || len(key) > 128 {
		return "", fmt.Errorf("judge cache: bad key length %d", len(key))
	}
	for _, r := range key {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return "", fmt.Errorf("judge cache: key %q is not lowercase hex", key)
		}
	}
	return blob.Join(c.prefix, key[:2], key+".json"), nil
}

// Get returns the value stored under key; found is false if there is none.
func (c *Cache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	p, err := c.path(key)
	if err != nil {
		return nil, false, err
	}
	b, err := blob.ReadFile(ctx, p)
	if errors.Is(err, fs.ErrNotExist) { // blob says so for local files and gs:// objects
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("judge cache get: %w", err)
	}
	return b, true, nil
}

// Put stores val under key with one atomic write.
func (c *Cache) Put(ctx context.Context, key string, val []byte) error {
	p, err := c.path(key)
	if err != nil {
		return err
	}
	if err := blob.WriteAtomic(ctx, p, val); err != nil {
		return fmt.Errorf("judge cache put %s: %w", key, err)
	}
	return nil
}
