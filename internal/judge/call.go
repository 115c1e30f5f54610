package judge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// complete returns a validated reply to the rendered user text: from the
// cache, from an identical call already in flight, or from the endpoint.
func (c *Client) complete(ctx context.Context, version, user string, check func(string) error) (string, bool, error) {
	c.meter.update(func(s *Stats) { s.Requests++ })
	msgs := c.messages(user)
	key, err := CacheKey(c.cfg.BaseURL, c.cfg.Model, version, msgs, c.cfg.Sampling)
	if err != nil {
		c.meter.update(func(s *Stats) { s.Failures++ })
		return "", false, err
	}
	if r, ok := c.cacheGet(ctx, key, check); ok {
		c.meter.update(func(s *Stats) { s.CacheHits++ })
		return r.Text, true, nil
	}
	leader := false
	v, err, _ := c.group.Do(key, func() (any, error) {
		leader = true
		text, _, err := c.call(ctx, key, msgs, check)
		return text, err
	})
	if !leader {
		c.meter.update(func(s *Stats) { s.Deduplicated++ })
	}
	if err != nil {
		c.meter.update(func(s *Stats) { s.Failures++ })
		return "", false, err
	}
	return v.(string), false, nil
}

// cacheGet returns a cached reply (with the usage it cost) that still passes check. A
// cache read error counts in Stats.CacheErrors and is treated as a miss.
func (c *Client) cacheGet(ctx context.Context, key string, check func(string) error) (cachedReply, bool) {
	var r cachedReply
	if c.cfg.Cache == nil {
		return r, false
	}
	b, ok, err := c.cfg.Cache.Get(ctx, key)
	if err != nil {
		c.meter.update(func(s *Stats) { s.CacheErrors++ })
		return r, false
	}
	if !ok {
		return r, false
	}
	if err := json.Unmarshal(b, &r); err != nil || check(r.Text) != nil {
		c.meter.update(func(s *Stats) { s.CacheErrors++ })
		return r, false
	}
	return r, true
}

// call makes up to MaxAttempts attempts, stores a valid reply in the cache
// and returns it with the usage of the attempt that got it, or returns a *CallError.
func (c *Client) call(ctx context.Context, key string, msgs []Message, check func(string) error) (string, attemptResult, error) {
	estimate := estimateTokens(msgs) + float64(c.cfg.Sampling.MaxTokens)
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			c.meter.update(func(s *Stats) { s.Retries++ })
		}
		reply, info, err := c.attempt(ctx, msgs, estimate)
		if first := c.refused.Load(); first != nil && errors.Is(err, errRefused) {
			c.meter.update(func(s *Stats) { s.AuthFailures++ })
			return "", attemptResult{}, &CallError{Attempts: attempt - 1, StatusCode: first.StatusCode,
				Last: fmt.Errorf("not sent, an earlier call was refused: %w", first.Last)}
		}
		if ctx.Err() != nil {
			return "", attemptResult{}, c.wrapErr("judge call: %w", ctx.Err())
		}
		retry := false
		if err != nil {
			retry = retryable(err, info.status)
			err = c.wrapErr("%w", err)
		} else if verr := check(reply); verr != nil {
			c.meter.update(func(s *Stats) { s.BadReplies++ })
			var re *ReplyError
			if errors.As(verr, &re) && c.cfg.APIKey != "" {
				re.Reply = strings.ReplaceAll(re.Reply, c.cfg.APIKey, "[REDACTED]")
			}
			err, retry = verr, c.cfg.RetryBadReply
		}
		if err == nil {
			c.store(ctx, key, reply, info)
			return reply, info, nil
		}
		if !retry || attempt >= c.cfg.MaxAttempts {
			ce := &CallError{Attempts: attempt, StatusCode: info.status, Retryable: retry, Last: err}
			if ce.Unauthorized() {
				// The key is refused: every later call would be too. Fail them at once.
				c.meter.update(func(s *Stats) { s.AuthFailures++ })
				c.refused.CompareAndSwap(nil, ce)
			}
			return "", attemptResult{}, ce
		}
		wait := backoff(attempt, c.cfg.BackoffBase, c.cfg.BackoffMax)
		if ra, ok := parseRetryAfter(info.retryAfter, time.Now()); ok {
			wait = max(wait, min(ra, c.cfg.MaxRetryAfter))
		}
		if err := sleep(ctx, wait); err != nil {
			return "", attemptResult{}, c.wrapErr("judge call: %w", err)
		}
	}
}

// errRefused is what an attempt returns, unsent, once the endpoint refused the key.
var errRefused = errors.New("not sent: the judge endpoint refused the API key")

// attemptResult adds the reported usage to what the transport saw.
type attemptResult struct {
	attemptInfo
	promptTokens, completionTokens int
}

// attempt sends one HTTP request under the concurrency limit and budgets.
func (c *Client) attempt(ctx context.Context, msgs []Message, estimate float64) (string, attemptResult, error) {
	var res attemptResult
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return "", res, ctx.Err()
	}
	defer func() { <-c.sem }()
	if c.refused.Load() != nil {
		return "", res, errRefused
	}
	if err := c.rpm.take(ctx, 1); err != nil {
		return "", res, err
	}
	if err := c.tpm.take(ctx, estimate); err != nil {
		return "", res, err
	}
	actx, cancel := context.WithTimeout(withAttempt(ctx, &res.attemptInfo), c.cfg.Timeout)
	defer cancel()
	c.meter.update(func(s *Stats) { s.HTTPCalls++ })
	resp, err := c.api.CreateChatCompletion(actx, c.request(msgs))
	if err != nil {
		if res.status == 0 && actx.Err() != nil {
			return "", res, fmt.Errorf("attempt timed out after %v: %w", c.cfg.Timeout, context.DeadlineExceeded)
		}
		return "", res, err
	}
	if len(resp.Choices) == 0 {
		return "", res, fmt.Errorf("%w: no choices", errMalformed)
	}
	res.promptTokens, res.completionTokens = resp.Usage.PromptTokens, resp.Usage.CompletionTokens
	c.tpm.adjust(estimate - float64(res.promptTokens+res.completionTokens))
	c.meter.addTokens(int64(res.promptTokens), int64(res.completionTokens))
	return resp.Choices[0].Message.Content, res, nil
}

// request builds the go-openai request.
func (c *Client) request(msgs []Message) openai.ChatCompletionRequest {
	req := openai.ChatCompletionRequest{
		Model:       c.cfg.Model,
		Temperature: c.cfg.Sampling.Temperature,
		Seed:        c.cfg.Sampling.Seed,
	}
	if c.cfg.Structured != StructuredOff {
		req.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
	}
	if isReasoningModel(c.cfg.Model) {
		req.MaxCompletionTokens = c.cfg.Sampling.MaxTokens
	} else {
		//lint:ignore SA1019 max_tokens is what many OpenAI-compatible servers (vLLM, SGLang, older gateways) still read; reasoning models get MaxCompletionTokens above.
		req.MaxTokens = c.cfg.Sampling.MaxTokens
	}
	for _, m := range msgs {
		req.Messages = append(req.Messages, openai.ChatCompletionMessage{Role: m.Role, Content: m.Content})
	}
	return req
}

// isReasoningModel reports the model families for which go-openai refuses
// max_tokens and wants max_completion_tokens.
func isReasoningModel(model string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5"} {
		if strings.HasPrefix(model, p) {
			return true
		}
	}
	return false
}

// store writes a valid reply to the cache. A write error is counted and
// otherwise ignored: the reply is still good.
func (c *Client) store(ctx context.Context, key, reply string, res attemptResult) {
	if c.cfg.Cache == nil {
		return
	}
	b, err := json.Marshal(cachedReply{
		Text: reply, Model: c.cfg.Model, PromptTokens: res.promptTokens, CompletionTokens: res.completionTokens,
	})
	if err == nil {
		err = c.cfg.Cache.Put(ctx, key, b)
	}
	if err != nil {
		c.meter.update(func(s *Stats) { s.CacheErrors++ })
	}
}

// estimateTokens estimates prompt tokens as total message bytes / 4.
func estimateTokens(msgs []Message) float64 {
	n := 0
	for _, m := range msgs {
		n += len(m.Content)
	}
	return float64(n) / 4
}
