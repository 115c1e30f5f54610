package judge

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/rlcurate/rlcurate/rewards"
	openai "github.com/sashabaranov/go-openai"
	"golang.org/x/sync/singleflight"
)

// Client is a Judge backed by an OpenAI-compatible chat-completions
// endpoint. It is safe for concurrent use; share one per process so its
// limits, cache deduplication and Stats cover every call.
type Client struct {
	cfg     ClientConfig
	refused atomic.Pointer[CallError] // the first 401/403: later calls are not sent
	api     *openai.Client
	sem     chan struct{}
	rpm     *bucket
	tpm     *bucket
	group   singleflight.Group
	meter   meter
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
	text, err := tmpl.Render(NewPointwiseData(tmpl.Version, req))
	if err != nil {
		return PointwiseResult{}, err
	}
	check := func(reply string) error {
		_, _, err := parsePointwise(reply, c.cfg.Structured)
		return err
	}
	reply, cached, err := c.complete(ctx, c.keyVersion(tmpl), text, check)
	if err != nil {
		return PointwiseResult{}, err
	}
	score, reason, err := parsePointwise(reply, c.cfg.Structured)
	if err != nil { // unreachable: complete validated the reply
		return PointwiseResult{}, err
	}
	return PointwiseResult{Score: score, Reason: reason, Raw: reply, Cached: cached}, nil
}

// Pairwise renders the pairwise template, asks the judge and returns its text with the
// verdict it states in its own words (ParsePairwise under ClientConfig.Structured). An
// empty reply, one rejected by ClientConfig.PairwiseCheck, or under StructuredOn one
// that is not the requested object, is a failure.
func (c *Client) Pairwise(ctx context.Context, req PairwiseRequest) (PairwiseResult, error) {
	tmpl := c.cfg.PairwiseTemplate
	text, err := tmpl.Render(NewPairwiseData(tmpl.Version, req))
	if err != nil {
		return PairwiseResult{}, err
	}
	check := func(reply string) error {
		if strings.TrimSpace(reply) == "" {
			return newReplyError("empty reply", reply)
		}
		if c.cfg.Structured == StructuredOn && parsePairwise(reply, StructuredOn) == rewards.VerdictUnknown {
			return newReplyError("reply is not the requested JSON object with a verdict", reply)
		}
		if c.cfg.PairwiseCheck != nil {
			if err := c.cfg.PairwiseCheck(reply); err != nil {
				return newReplyError(err.Error(), reply)
			}
		}
		return nil
	}
	reply, cached, err := c.complete(ctx, c.keyVersion(tmpl), text, check)
	if err != nil {
		return PairwiseResult{}, err
	}
	return PairwiseResult{Text: reply, Verdict: parsePairwise(reply, c.cfg.Structured), Cached: cached}, nil
}

// keyVersion is the template version as the cache key sees it: a request sent with
// response_format is another request, so its replies are kept apart.
func (c *Client) keyVersion(t *Template) string {
	if c.cfg.Structured == StructuredOff {
		return t.Version
	}
	return t.Version + "+json_object"
}

// messages builds the chat messages for a rendered user text: the guard system message
// (GuardSystemPrompt, then ClientConfig.SystemPrompt) and the user message.
func (c *Client) messages(user string) []Message {
	system := GuardSystemPrompt
	if c.cfg.SystemPrompt != "" {
		system += "\n\n" + c.cfg.SystemPrompt
	}
	return []Message{
		{Role: openai.ChatMessageRoleSystem, Content: system},
		{Role: openai.ChatMessageRoleUser, Content: user},
	}
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
