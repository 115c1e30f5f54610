package rewards

import (
	"errors"
	"fmt"
	"strings"
)

// Verdict is what a pairwise judge decided about answers A and B.
type Verdict int

const (
	// VerdictUnknown means the judge text holds no verdict token: a judge failure.
	VerdictUnknown Verdict = iota
	// VerdictA means [[A]]: answer A is better.
	VerdictA
	// VerdictB means [[B]]: answer B is better.
	VerdictB
	// VerdictTie means [[C]]: a tie.
	VerdictTie
)

// ParseVerdict returns the LAST of the tokens [[A]], [[B]], [[C]] in a judge's
// text (judges explain first and may quote the tokens while doing so). Text
// without any token gives VerdictUnknown; a stray capital "A" is not a verdict.
func ParseVerdict(judgeText string) Verdict {
	best, v := -1, VerdictUnknown
	for _, tok := range []struct {
		s string
		v Verdict
	}{{"[[A]]", VerdictA}, {"[[B]]", VerdictB}, {"[[C]]", VerdictTie}} {
		if i := strings.LastIndex(judgeText, tok.s); i > best {
			best, v = i, tok.v
		}
	}
	return v
}

// Outcome is the policy's result against the reference.
type Outcome int

const (
	// OutcomeUnknown means the judge gave no usable verdict; callers must treat
	// it as a failure (retry or drop), never as a loss.
	OutcomeUnknown Outcome = iota
	// Win means the policy's answer is better.
	Win
	// Tie means neither is better.
	Tie
	// Loss means the reference is better.
	Loss
)

// String returns "unknown", "win", "tie" or "loss".
func (o Outcome) String() string {
	switch o {
	case Win:
		return "win"
	case Tie:
		return "tie"
	case Loss:
		return "loss"
	}
	return "unknown"
}

// Position is where the policy's answer is shown to the judge.
type Position int

const (
	// PolicyAsA shows the policy's answer as A, the reference as B.
	PolicyAsA Position = iota
	// PolicyAsB shows the reference as A, the policy's answer as B.
	PolicyAsB
)

// Outcome maps one verdict, given where the policy stood, to the policy's outcome.
func (p Position) Outcome(v Verdict) Outcome {
	switch {
	case v == VerdictTie:
		return Tie
	case v == VerdictA && p == PolicyAsA, v == VerdictB && p == PolicyAsB:
		return Win
	case v == VerdictA || v == VerdictB:
		return Loss
	}
	return OutcomeUnknown
}

// Strategy decides the order(s) in which the judge sees the two answers.
type Strategy int

const (
	// PolicySecond (the released default, "position-disadvantage") asks once with
	// the policy as B.
	PolicySecond Strategy = iota
	// PolicyFirst ("position-advantage") asks once with the policy as A.
	PolicyFirst
	// BothOrders asks twice, policy as A and as B: a win only when both orders
	// say win, a loss only when both say loss, a tie otherwise; an unknown
	// verdict in either order makes the outcome unknown.
	BothOrders
)

// ErrVerdictCount means Combine got a different number of verdicts than Calls.
var ErrVerdictCount = errors.New("wrong number of verdicts")

// Calls lists the judge calls to make, in order: the policy's position in each.
func (s Strategy) Calls() []Position {
	switch s {
	case PolicyFirst:
		return []Position{PolicyAsA}
	case BothOrders:
		return []Position{PolicyAsA, PolicyAsB}
	}
	return []Position{PolicyAsB}
}

// Combine turns the verdicts of the calls listed by Calls (same order) into the
// policy's outcome.
func (s Strategy) Combine(verdicts []Verdict) (Outcome, error) {
	calls := s.Calls()
	if len(verdicts) != len(calls) {
		return OutcomeUnknown, fmt.Errorf("combine %d verdicts for %d calls: %w", len(verdicts), len(calls), ErrVerdictCount)
	}
	out := calls[0].Outcome(verdicts[0])
	for i := 1; i < len(calls); i++ {
		o := calls[i].Outcome(verdicts[i])
		switch {
		case out == OutcomeUnknown || o == OutcomeUnknown:
			out = OutcomeUnknown
		case o != out:
			out = Tie
		}
	}
	return out, nil
}

// PairwiseRewards are the reward values paid per outcome.
type PairwiseRewards struct {
	Win  float64 `json:"win"`
	Tie  float64 `json:"tie"`
	Loss float64 `json:"loss"`
}

var (
	// PaperRewards are the paper's values (the default): 1, 0.5, 0.
	PaperRewards = PairwiseRewards{Win: 1, Tie: 0.5, Loss: 0}
	// ReleasedRewards are the released code's values: 1.1, 0.55, 0.1.
	ReleasedRewards = PairwiseRewards{Win: 1.1, Tie: 0.55, Loss: 0.1}
)

// ErrJudgeFailed is returned for an unknown outcome: a judge failure has no reward.
var ErrJudgeFailed = errors.New("judge gave no verdict")

// Reward returns the value paid for o, or ErrJudgeFailed for OutcomeUnknown.
func (r PairwiseRewards) Reward(o Outcome) (float64, error) {
	switch o {
	case Win:
		return r.Win, nil
	case Tie:
		return r.Tie, nil
	case Loss:
		return r.Loss, nil
	}
	return 0, fmt.Errorf("pairwise reward for %v: %w", o, ErrJudgeFailed)
}
