package judge

import (
	"context"
	"errors"
	"os"
)

// GenerateKeyEnvVars are the environment variables GenerateKeyFromEnv reads, in order:
// the key of the models `writing generate` asks for answers.
var GenerateKeyEnvVars = []string{"RLCURATE_GENERATE_API_KEY", "OPENAI_API_KEY"}

// GenerateKeyFromEnv returns the first non-empty value of GenerateKeyEnvVars and the
// variable's name, or two empty strings.
func GenerateKeyFromEnv() (key, envVar string) {
	for _, name := range GenerateKeyEnvVars {
		if v := os.Getenv(name); v != "" {
			return v, name
		}
	}
	return "", ""
}

// CompleteVersion stands for the template version in the cache key of a plain completion
// (Client.Complete): its messages are sent as given, so they, the model, the host and the
// sampling parameters are the whole key.
const CompleteVersion = "complete/v1"

// ErrBudget is returned by Client.Complete when the call was not made because it could
// pass the Budget.
var ErrBudget = errors.New("not sent: the spending budget would be passed")

// Completion is a model's reply to a plain completion with the tokens it cost (as reported
// when it was asked, also for a reply read back from the cache).
type Completion struct {
	Text                           string
	PromptTokens, CompletionTokens int
	// Cached reports that the reply came from the cache: no call was made for it.
	Cached bool
}

// Complete sends msgs as they are (no template, no guard system message) and returns the
// model's reply: from the cache, from an identical call in flight, or from the endpoint,
// with the client's retries (429 and 5xx, honouring Retry-After), limits and cache. check
// rejects an unusable reply (it is then neither cached nor returned; nil accepts any). A
// call that is not answered from the cache first reserves its worst-case cost in budget
// (nil: no limit) and returns ErrBudget, unsent, when that would pass it. Build the Client
// with StructuredOff, or the request asks for a JSON object. Other failures are *CallError.
func (c *Client) Complete(ctx context.Context, msgs []Message, check func(string) error, budget *Budget) (Completion, error) {
	if check == nil {
		check = func(string) error { return nil }
	}
	c.meter.update(func(s *Stats) { s.Requests++ })
	key, err := CacheKey(c.cfg.BaseURL, c.cfg.Model, CompleteVersion, msgs, c.cfg.Sampling)
	if err != nil {
		c.meter.update(func(s *Stats) { s.Failures++ })
		return Completion{}, err
	}
	if r, ok := c.cacheGet(ctx, key, check); ok {
		c.meter.update(func(s *Stats) { s.CacheHits++ })
		return Completion{Text: r.Text, PromptTokens: r.PromptTokens, CompletionTokens: r.CompletionTokens, Cached: true}, nil
	}
	leader := false
	v, err, _ := c.group.Do(key, func() (any, error) {
		leader = true
		held := c.cfg.Prices.Cost(int64(budgetTokens(msgs)), int64(c.cfg.Sampling.MaxTokens))
		if !budget.reserve(held) {
			return Completion{}, ErrBudget
		}
		text, res, err := c.call(ctx, key, msgs, check)
		budget.settle(held, c.cfg.Prices.Cost(int64(res.promptTokens), int64(res.completionTokens)))
		return Completion{Text: text, PromptTokens: res.promptTokens, CompletionTokens: res.completionTokens}, err
	})
	if !leader {
		c.meter.update(func(s *Stats) { s.Deduplicated++ })
	}
	if err != nil && !errors.Is(err, ErrBudget) {
		c.meter.update(func(s *Stats) { s.Failures++ })
	}
	if err != nil {
		return Completion{}, err
	}
	return v.(Completion), nil
}

// budgetTokens bounds a prompt's tokens from above for the budget: one per 3 bytes (CJK
// text is 3 bytes a character, about a token each; English is about 4 bytes a token),
// plus 8 per message for the chat format.
func budgetTokens(msgs []Message) int {
	n := 0
	for _, m := range msgs {
		n += len(m.Content)/3 + 1 + 8
	}
	return n
}
