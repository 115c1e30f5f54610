package writing

import (
	"context"
	"fmt"

	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/rewards"
)

// ParseOrder maps --order to a rewards.Strategy: policy-second (the released default),
// policy-first or both.
func ParseOrder(name string) (rewards.Strategy, error) {
	switch name {
	case "policy-second", "":
		return rewards.PolicySecond, nil
	case "policy-first":
		return rewards.PolicyFirst, nil
	case "both":
		return rewards.BothOrders, nil
	}
	return 0, fmt.Errorf("unknown order %q (want policy-second, policy-first or both)", name)
}

// ParseRewards maps --rewards to reward values: paper (1, 0.5, 0) or released (1.1, 0.55, 0.1).
func ParseRewards(name string) (rewards.PairwiseRewards, error) {
	switch name {
	case "paper", "":
		return rewards.PaperRewards, nil
	case "released":
		return rewards.ReleasedRewards, nil
	}
	return rewards.PairwiseRewards{}, fmt.Errorf("unknown rewards %q (want paper or released)", name)
}

var verdictNames = map[rewards.Verdict]string{rewards.VerdictA: "A", rewards.VerdictB: "B", rewards.VerdictTie: "C"}

// Judgement is how a rollout is judged: its sample (references weakest to strongest), the
// reference index to compare with, the order(s) and the reward values.
type Judgement struct {
	Sample    Sample
	Reference int
	Order     rewards.Strategy
	OrderName string
	Pay       rewards.PairwiseRewards
}

// LabelRollout asks j to compare the rollout with the sample's reference in every order of
// the strategy. A failed call, or a reply without a verdict, is an error: no label, never
// a loss.
func LabelRollout(ctx context.Context, j judge.Judge, jd Judgement, r Rollout) (LabelRow, error) {
	if jd.Reference < 0 || jd.Reference >= len(jd.Sample.References) {
		return LabelRow{}, fmt.Errorf("reference %d out of the sample's %d", jd.Reference, len(jd.Sample.References))
	}
	ref := jd.Sample.References[jd.Reference]
	calls := jd.Order.Calls()
	verdicts := make([]rewards.Verdict, len(calls))
	errs := judge.RunAll(ctx, len(calls), len(calls), func(ctx context.Context, i int) error {
		req := judge.PairwiseRequest{Prompt: jd.Sample.Prompt, Criteria: CriteriaText(jd.Sample.Criteria), A: ref, B: r.Response}
		if calls[i] == rewards.PolicyAsA {
			req.A, req.B = r.Response, ref
		}
		res, err := j.Pairwise(ctx, req)
		if err != nil {
			return fmt.Errorf("judge pairwise (order %d): %w", i, err)
		}
		verdicts[i] = rewards.ParseVerdict(res.Text)
		if verdicts[i] == rewards.VerdictUnknown {
			return fmt.Errorf("judge pairwise (order %d): %w: reply %q", i, rewards.ErrJudgeFailed, clip(res.Text, 300))
		}
		return nil
	})
	if first, _ := judge.FirstError(errs); first != nil {
		return LabelRow{}, first
	}
	out, err := jd.Order.Combine(verdicts)
	if err != nil {
		return LabelRow{}, err
	}
	pay, err := jd.Pay.Reward(out)
	if err != nil {
		return LabelRow{}, err
	}
	l := LabelRow{ID: r.ID, SampleID: r.SampleID, ReferenceIndex: jd.Reference, Rungs: len(jd.Sample.References),
		Order: jd.OrderName, Outcome: out.String(), Reward: pay, Step: r.Step, Split: r.Split}
	for _, v := range verdicts {
		l.Verdicts = append(l.Verdicts, verdictNames[v])
	}
	return l, nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
