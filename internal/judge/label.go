package judge

import (
	"context"
	"fmt"

	"github.com/rlcurate/rlcurate/rewards"
)

// Pair is a policy's completion to compare with a reference answer to the same prompt.
type Pair struct {
	Prompt    string
	Criteria  string // optional
	Policy    string // the policy's completion
	Reference string // the reference answer
	// KeepThinking sends the policy's whole completion to the judge; by default (false,
	// --judge-strip-thinking) the judge sees its answer only (StripThinking).
	KeepThinking bool
}

// Label is the judge's verdicts on a pair, one per call of the order (Strategy.Calls,
// same order), and the policy's outcome they combine to (never rewards.OutcomeUnknown).
// AnswerNote says why the answer the judge saw was empty (NoteUnclosedThinking), "" when
// there is nothing to say.
type Label struct {
	Verdicts   []rewards.Verdict
	Outcome    rewards.Outcome
	AnswerNote string
}

// CallsError reports the judge calls of LabelPairs that failed.
type CallsError struct {
	Failed, Calls int
	First         error // the first failure, in call order
}

// Error returns how many calls failed and the first failure.
func (e *CallsError) Error() string {
	return fmt.Sprintf("%d of %d judge calls failed (first: %v)", e.Failed, e.Calls, e.First)
}

// Unwrap returns the first failure.
func (e *CallsError) Unwrap() error { return e.First }

// LabelPair asks j to compare the pair's two answers in every order of the strategy (its
// calls concurrently) and combines the verdicts. A failed call, or a reply without a
// verdict token, is an error (the first one, as LabelPairs reports it): no label, never a
// loss.
func LabelPair(ctx context.Context, j Judge, order rewards.Strategy, p Pair) (Label, error) {
	labels, err := LabelPairs(ctx, j, order, []Pair{p}, 0)
	if ce, ok := err.(*CallsError); ok {
		return Label{}, ce.First
	}
	if err != nil {
		return Label{}, err
	}
	return labels[0], nil
}

// LabelPairs labels every pair as LabelPair does, with at most workers judge calls in
// flight over all pairs (workers <= 0: all at once). The judge sees each policy
// completion's answer (StripThinking) unless the pair keeps the thinking; an answer left
// empty by unclosed thinking is judged as the empty answer it is, and its label carries
// the note. Every call runs even when another fails; if any failed, or a reply had no
// verdict token, the error is a *CallsError and no pair is labelled.
func LabelPairs(ctx context.Context, j Judge, order rewards.Strategy, pairs []Pair, workers int) ([]Label, error) {
	calls := order.Calls()
	judged, notes := answers(pairs)
	verdicts := make([]rewards.Verdict, len(pairs)*len(calls))
	errs := RunAll(ctx, len(verdicts), workers, func(ctx context.Context, n int) error {
		var err error
		verdicts[n], err = verdict(ctx, j, judged[n/len(calls)], calls[n%len(calls)], n%len(calls))
		return err
	})
	if failed, first := Failures(errs); first != nil {
		return nil, &CallsError{Failed: failed, Calls: len(errs), First: first}
	}
	labels := make([]Label, len(pairs))
	for k := range pairs {
		vs := verdicts[k*len(calls) : (k+1)*len(calls)]
		out, err := order.Combine(vs)
		if err == nil && out == rewards.OutcomeUnknown {
			err = rewards.ErrJudgeFailed
		}
		if err != nil {
			return nil, fmt.Errorf("pair %d: %w", k, err)
		}
		labels[k] = Label{Verdicts: vs, Outcome: out, AnswerNote: notes[k]}
	}
	return labels, nil
}

// answers returns the pairs as the judge sees them, each policy completion reduced to its
// answer unless the pair keeps the thinking, and the note of each answer.
func answers(pairs []Pair) ([]Pair, []string) {
	judged, notes := make([]Pair, len(pairs)), make([]string, len(pairs))
	for k, p := range pairs {
		if !p.KeepThinking {
			p.Policy, notes[k] = StripThinking(p.Policy)
		}
		judged[k] = p
	}
	return judged, notes
}

// verdict asks j for one call (the i-th of the order, the policy at pos) and takes the
// verdict the judge stated in its own words (PairwiseResult.Verdict, else ParsePairwise:
// never a token quoted from the judged text); a reply without one is an error wrapping
// rewards.ErrJudgeFailed.
func verdict(ctx context.Context, j Judge, p Pair, pos rewards.Position, i int) (rewards.Verdict, error) {
	req := PairwiseRequest{Prompt: p.Prompt, Criteria: p.Criteria, A: p.Reference, B: p.Policy}
	if pos == rewards.PolicyAsA {
		req.A, req.B = p.Policy, p.Reference
	}
	res, err := j.Pairwise(ctx, req)
	if err != nil {
		return rewards.VerdictUnknown, fmt.Errorf("judge pairwise (order %d): %w", i, err)
	}
	v := res.Verdict
	if v == rewards.VerdictUnknown {
		v = ParsePairwise(res.Text) // a judge that leaves parsing to the caller
	}
	if v == rewards.VerdictUnknown {
		return v, fmt.Errorf("judge pairwise (order %d): %w: reply %q", i, rewards.ErrJudgeFailed, clip(res.Text, 300))
	}
	return v, nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
