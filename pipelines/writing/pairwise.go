package writing

import (
	"context"
	"fmt"

	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/rewards"
)

var verdictNames = map[rewards.Verdict]string{rewards.VerdictA: "A", rewards.VerdictB: "B", rewards.VerdictTie: "C"}

// Judgement is how a rollout is judged: its sample (references weakest to strongest), the
// reference index to compare with, the order(s), the reward values and whether the judge
// sees the whole response (KeepThinking) or its answer only (judge.StripThinking).
type Judgement struct {
	Sample       Sample
	Reference    int
	Order        rewards.Strategy
	OrderName    string
	Pay          rewards.PairwiseRewards
	KeepThinking bool
}

// LabelRollout asks j to compare the rollout's answer (judge.StripThinking, unless
// KeepThinking) with the sample's reference in every order of the strategy
// (judge.LabelPair, as the reward service does); a response cut off while thinking is
// judged as an empty answer and its row says so (AnswerNote). A failed call, or a reply
// without a verdict, is an error: no label, never a loss.
func LabelRollout(ctx context.Context, j judge.Judge, jd Judgement, r Rollout) (LabelRow, error) {
	if jd.Reference < 0 || jd.Reference >= len(jd.Sample.References) {
		return LabelRow{}, fmt.Errorf("reference %d out of the sample's %d", jd.Reference, len(jd.Sample.References))
	}
	pair := judge.Pair{Prompt: jd.Sample.Prompt, Criteria: CriteriaText(jd.Sample.Criteria),
		Policy: r.Response, Reference: jd.Sample.References[jd.Reference], KeepThinking: jd.KeepThinking}
	lab, err := judge.LabelPair(ctx, j, jd.Order, pair)
	if err != nil {
		return LabelRow{}, err
	}
	pay, err := jd.Pay.Reward(lab.Outcome)
	if err != nil {
		return LabelRow{}, err
	}
	l := LabelRow{ID: r.ID, SampleID: r.SampleID, ReferenceIndex: jd.Reference, Rungs: len(jd.Sample.References),
		Order: jd.OrderName, Outcome: lab.Outcome.String(), Reward: pay, Step: r.Step, Split: r.Split, AnswerNote: lab.AnswerNote}
	for _, v := range lab.Verdicts {
		l.Verdicts = append(l.Verdicts, verdictNames[v])
	}
	return l, nil
}
