package judge

import (
	"context"

	"github.com/rlcurate/rlcurate/rewards"
)

// Judge scores writing. Both the HTTP Client and the offline Heuristic
// implement it. A returned error means the request has no usable result: the
// caller dead-letters it and must never turn it into a score.
type Judge interface {
	// Pointwise scores one response on a 1..10 scale.
	Pointwise(ctx context.Context, req PointwiseRequest) (PointwiseResult, error)
	// Pairwise compares answers A and B and returns the judge's text, which
	// ends with a verdict token.
	Pairwise(ctx context.Context, req PairwiseRequest) (PairwiseResult, error)
}

// PointwiseRequest asks for one 1..10 score of Response to Prompt.
//
// Criterion is one criterion's text (WritingBench samples carry five: issue
// one request per criterion and average); empty means the judge scores the
// response on general dimensions.
type PointwiseRequest struct {
	Prompt    string `json:"prompt"`
	Criterion string `json:"criterion,omitempty"`
	Response  string `json:"response"`
}

// PointwiseResult is a parsed pointwise reply.
type PointwiseResult struct {
	// Score is the integer score, always within 1..10.
	Score int `json:"score"`
	// Reason is the judge's justification.
	Reason string `json:"reason"`
	// Raw is the judge's full reply text.
	Raw string `json:"raw"`
	// Cached reports that the reply came from the cache (no HTTP call).
	Cached bool `json:"cached"`
}

// PairwiseRequest asks which of answers A and B better answers Prompt.
// Criteria is optional.
type PairwiseRequest struct {
	Prompt   string `json:"prompt"`
	Criteria string `json:"criteria,omitempty"`
	A        string `json:"a"`
	B        string `json:"b"`
}

// PairwiseResult is a pairwise reply: the judge's text, verdict token
// included. Parsing the verdict is the rewards package's job.
type PairwiseResult struct {
	Text string `json:"text"`
	// Verdict is the verdict the judge stated in its own words (the Client fills it,
	// see ParsePairwise); VerdictUnknown when it stated none or the judge leaves parsing
	// to the caller.
	Verdict rewards.Verdict `json:"verdict,omitempty"`
	// Cached reports that the reply came from the cache (no HTTP call).
	Cached bool `json:"cached"`
}
