package writing

import (
	"context"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/store"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/transforms"
)

// LabelOptions configures the writing label job.
type LabelOptions struct {
	Input    string // rollouts JSONL, local or gs://, glob allowed
	Samples  string // selected samples (writing select's PREFIX/data/*.jsonl)
	Schedule string // schedule state, local or gs://
	Output   string
	Order    string // policy-second, policy-first or both
	Rewards  string // paper or released
	Judge    judge.Config
	Shards   int
}

// Prepare validates the options and checks, once at launch, that the samples exist and the
// schedule state is readable, so a bad path fails before any judge call.
func (o LabelOptions) Prepare(ctx context.Context) error {
	if _, err := rewards.ParseStrategy(o.Order); err != nil {
		return err
	}
	if _, err := rewards.ParsePairwiseRewards(o.Rewards); err != nil {
		return err
	}
	if err := o.Judge.Validate(); err != nil {
		return err
	}
	if _, err := transforms.CheckInput(ctx, o.Samples); err != nil {
		return fmt.Errorf("--samples: %w", err)
	}
	if _, err := store.Load(ctx, o.Schedule); err != nil {
		return fmt.Errorf("--schedule: %w", err)
	}
	return nil
}

// Label builds the writing label job: rollouts joined with their samples by sample_id (a
// sort-merge join with bounded memory, run files under PREFIX/data/), judged pairwise against the reference under each sample's pointer in the
// schedule state (read once per worker), one label row per rollout under PREFIX/data/;
// rollouts of unknown samples, bad rows and judge failures under PREFIX/deadletter/.
func Label(s beam.Scope, job transforms.Job, o LabelOptions) error {
	order, err := rewards.ParseStrategy(o.Order)
	if err != nil {
		return err
	}
	if _, err := rewards.ParsePairwiseRewards(o.Rewards); err != nil {
		return err
	}
	s = s.Scope("WritingLabel")
	rollouts, readDead := transforms.ReadInput(s, job, o.Input)
	sampleLines, samplesDead := transforms.ReadLines(s.Scope("Samples"), o.Samples, job.MaxLineBytes)
	keyedSamples := beam.ParDo(s, keySampleRow, sampleLines)
	keyedRollouts, badRollouts := beam.ParDo2(s, keyRollout, rollouts)
	cfg := transforms.Sort{Dir: blob.Join(o.Output, layout.DataOutput), Name: "join", Buckets: transforms.AutoShardBuckets}
	parts, runs := transforms.SortEntries(s.Scope("Join"), cfg, keyedSamples, keyedRollouts)
	joined, unknown, merged := beam.ParDo3(s, &joinRolloutsFn{}, parts)
	transforms.RemoveRuns(s, runs, merged)
	labels, failed, usage := beam.ParDo3(s, &labelFn{Judge: o.Judge, Schedule: o.Schedule, Order: o.Order, Rewards: o.Rewards, Calls: len(order.Calls())}, joined)
	transforms.WriteManifest(s, job, transforms.Accounts{
		Tallies: []beam.PCollection{transforms.Tally(s, layout.CountRead, rollouts), transforms.Tally(s, layout.CountRead, readDead), transforms.Tally(s, layout.CountRead, samplesDead)},
		Shards: []beam.PCollection{
			transforms.WriteJSONL(s, transforms.Sink{Prefix: o.Output, Output: layout.DataOutput, Name: "labels", Shards: o.Shards}, labels),
			transforms.WriteDeadLetters(s, o.Output, 1, readDead, samplesDead, badRollouts, unknown, failed),
		},
		Extras: []beam.PCollection{JudgeUsage(s, usage)},
	})
	return nil
}
