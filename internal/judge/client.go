package judge

import (
	"context"
	"fmt"
	"strings"

	openai "github.com/sashabaranov/go-openai"
	"golang.org/x/sync/singleflight"
)

// Client is a Judge backed by an OpenAI-compatible chat-completions
// endpoint. It is safe for concurrent use; share one per process so its
// limits, cache deduplication and Stats cover every call.
type Client struct {
	cfg   ClientConfig
	api   *openai.Client
	sem   chan struct{}
	rpm   *bucket
	tpm   *bucket
	group singleflight.Group
	meter meter
}

var _ Judge = (*Client)(nil)

// NewClient returns a Client for cfg, or an error if BaseURL or Model is
// missing or BaseURL is not a URL with a host.
func NewClient(cfg ClientConfig) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	oc.HTTPClient = recordingDoer{c: cfg.HTTPClient}
	return &Client{
		cfg:   cfg,
		api:   openai.NewClientWithConfig(oc),
		sem:   make(chan struct{}, cfg.Concurrency),
		rpm:   newBucket(cfg.RequestsPerMinute),
		tpm:   newBucket(cfg.TokensPerMinute),
		meter: meter{prices: cfg.Prices},
	}, nil
}

// Stats returns a snapshot of the client's accounting so far.
func (c *Client) Stats() Stats { return c.meter.snapshot() }

// Pointwise renders the pointwise template, asks the judge, and parses the
// score (see ParsePointwise). Failures are *CallError; an unusable reply is
// a *CallError wrapping a *ReplyError (errors.Is(err, ErrBadReply)).
func (c *Client) Pointwise(ctx context.Context, req PointwiseRequest) (PointwiseResult, error) {
	tmpl := c.cfg.PointwiseTemplate
	text, err := tmpl.Render(PointwiseData(req))
	if err != nil {
		return PointwiseResult{}, err
	}
	check := func(reply string) error {
		_, _, err := ParsePointwise(reply)
		return err
	}
	reply, cached, err := c.complete(ctx, tmpl.Version, text, check)
	if err != nil {
		return PointwiseResult{}, err
	}
	score, reason, err := ParsePointwise(reply)
	if err != nil { // unreachable: complete validated the reply
		return PointwiseResult{}, err
	}
	return PointwiseResult{Score: score, Reason: reason, Raw: reply, Cached: cached}, nil
}

// Pairwise renders the pairwise template, asks the judge and returns its
// text unparsed (the verdict is parsed by the rewards package). An empty
// reply, or one rejected by ClientConfig.PairwiseCheck, is a failure.
func (c *Client) Pairwise(ctx context.Context, req PairwiseRequest) (PairwiseResult, error) {
	tmpl := c.cfg.PairwiseTemplate
	text, err := tmpl.Render(PairwiseData(req))
	if err != nil {
		return PairwiseResult{}, err
	}
	check := func(reply string) error {
		if strings.TrimSpace(reply) == "" {
			return newReplyError("empty reply", reply)
		}
		if c.cfg.PairwiseCheck != nil {
			if err := c.cfg.PairwiseCheck(reply); err != nil {
				return newReplyError(err.Error(), reply)
			}
		}
		return nil
	}
	reply, cached, err := c.complete(ctx, tmpl.Version, text, check)
	if err != nil {
		return PairwiseResult{}, err
	}
	return PairwiseResult{Text: reply, Cached: cached}, nil
}

// messages builds the chat messages for a rendered user text.
func (c *Client) messages(user string) []Message {
	var msgs []Message
	if c.cfg.SystemPrompt != "" {
		msgs = append(msgs, Message{Role: openai.ChatMessageRoleSystem, Content: c.cfg.SystemPrompt})
	}
	return append(msgs, Message{Role: openai.ChatMessageRoleUser, Content: user})
}

// CacheKeyFor returns the cache key the client uses for a rendered user
// text under a template version (useful to inspect or pre-seed a cache).
func (c *Client) CacheKeyFor(templateVersion, user string) (string, error) {
	return CacheKey(c.cfg.BaseURL, c.cfg.Model, templateVersion, c.messages(user), c.cfg.Sampling)
}

// wrapErr formats an error with the API key redacted.
func (c *Client) wrapErr(format string, err error) error {
	return redact(fmt.Errorf(format, err), c.cfg.APIKey)
}
