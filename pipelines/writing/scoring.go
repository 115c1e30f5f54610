package writing

import (
	"context"
	"fmt"
	"sort"

	"github.com/rlcurate/rlcurate/internal/judge"
)

// Scores are a sample's pointwise judge scores; each is the mean of the 1..10 scores over
// the sample's criteria (one score when it has none).
type Scores struct {
	Policy     float64   `json:"policy_score"`
	References []float64 `json:"reference_scores"` // in input order
}

// Best returns the highest reference score (0 for no references).
func (s Scores) Best() float64 {
	best := 0.0
	for i, r := range s.References {
		if i == 0 || r > best {
			best = r
		}
	}
	return best
}

// Margin returns the learning potential: the best reference score minus the policy score.
func (s Scores) Margin() float64 { return s.Best() - s.Policy }

// Ladder returns the input indices of the references ordered weakest to strongest by
// score; equal scores keep their input order.
func (s Scores) Ladder() []int {
	idx := make([]int, len(s.References))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return s.References[idx[a]] < s.References[idx[b]] })
	return idx
}

// CallError names the judge request of a sample that failed.
type CallError struct {
	Response  string // "policy_response" or "reference N" (0-based, input order)
	Criterion int    // 0-based index into the sample's criteria (0 with none)
	Err       error
}

func (e *CallError) Error() string {
	return fmt.Sprintf("judge %s, criterion %d: %v", e.Response, e.Criterion, e.Err)
}

func (e *CallError) Unwrap() error { return e.Err }

// ScoreSample asks j for one pointwise score per (response, criterion): the policy response
// and every reference, on every criterion (or once on general dimensions), with up to
// workers requests at a time. Every request is made even when one fails; the error is then
// a *CallError for the first failed request in order, and the sample has no scores.
func ScoreSample(ctx context.Context, j judge.Judge, s Sample, workers int) (Scores, error) {
	criteria := s.Criteria
	if len(criteria) == 0 {
		criteria = []string{""}
	}
	responses := append([]string{s.PolicyResponse}, s.References...)
	n := len(responses) * len(criteria)
	scores := make([]int, n)
	errs := judge.RunAll(ctx, n, workers, func(ctx context.Context, i int) error {
		r, c := i/len(criteria), i%len(criteria)
		res, err := j.Pointwise(ctx, judge.PointwiseRequest{Prompt: s.Prompt, Criterion: criteria[c], Response: responses[r]})
		if err != nil {
			name := "policy_response"
			if r > 0 {
				name = fmt.Sprintf("reference %d", r-1)
			}
			return &CallError{Response: name, Criterion: c, Err: err}
		}
		scores[i] = res.Score
		return nil
	})
	if _, first := judge.Failures(errs); first != nil {
		return Scores{}, first
	}
	means := make([]float64, len(responses))
	for r := range responses {
		sum := 0
		for c := range criteria {
			sum += scores[r*len(criteria)+c]
		}
		means[r] = float64(sum) / float64(len(criteria))
	}
	return Scores{Policy: means[0], References: means[1:]}, nil
}
