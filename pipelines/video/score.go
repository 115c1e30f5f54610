package video

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/progress"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register.DoFn4x0[context.Context, transforms.Line, func(string), func(layout.DeadLetter)](&scoreFn{})
	register.Emitter1[layout.DeadLetter]()
}

// ScoreOptions configures the video score job.
type ScoreOptions struct {
	Input  string // JSONL rollouts {"id", "completion", "solution": [[s, e], ...]}, local or gs://, glob allowed
	Output string // output prefix
	Phase  int    // 1 or 2
	Mode   string // "compat" or "strict"
	Shards int    // data shards
}

// Score builds the video score job: one reward row per rollout under PREFIX/data/,
// rows that cannot be scored under PREFIX/deadletter/, and the manifest.
func Score(s beam.Scope, job transforms.Job, opts ScoreOptions) error {
	plan, err := rewards.PlanFor(opts.Phase)
	if err != nil {
		return err
	}
	if _, err := rewards.ParseMode(opts.Mode); err != nil {
		return err
	}
	s = s.Scope("VideoScore")
	lines, readDead := transforms.ReadInput(s, job, opts.Input)
	scored, dead := beam.ParDo2(s, &scoreFn{Plan: plan, Mode: opts.Mode}, lines)
	data := transforms.WriteJSONL(s, transforms.Sink{Prefix: opts.Output, Output: layout.DataOutput, Name: "scores", Shards: opts.Shards}, scored)
	dl := transforms.WriteDeadLetters(s, opts.Output, 1, readDead, dead)
	transforms.WriteManifest(s, job, transforms.Accounts{
		Tallies: []beam.PCollection{transforms.Tally(s, layout.CountRead, lines), transforms.Tally(s, layout.CountRead, readDead)},
		Shards:  []beam.PCollection{data, dl},
	})
	return nil
}

type scoreFn struct {
	Plan rewards.Plan
	Mode string
	mode rewards.Mode
}

func (fn *scoreFn) Setup() error {
	m, err := rewards.ParseMode(fn.Mode)
	fn.mode = m
	return err
}

func (fn *scoreFn) ProcessElement(ctx context.Context, l transforms.Line, emit func(string), dead func(layout.DeadLetter)) {
	progress.Add("score", 1)
	reject := func(id, reason string) {
		dead(layout.DeadLetter{File: l.File, Line: l.Number, ID: id, Stage: "score", Reason: reason, Record: l.Text})
	}
	in, err := rewards.DecodeMusegInput([]byte(l.Text))
	if err != nil {
		reject(in.ID, err.Error())
		return
	}
	sc, err := rewards.Museg(in, fn.Plan, fn.mode)
	if err != nil {
		reject(in.ID, err.Error())
		return
	}
	if math.IsNaN(sc.Total) || math.IsInf(sc.Total, 0) {
		// The released code yields NaN for answers such as "1-inf"; JSON has no NaN, and a
		// trainer must not receive one, so the row is reported rather than written.
		reject(in.ID, fmt.Sprintf("reward is not finite (format %v, global %v, local %v), as in the released code", sc.Format, sc.GlobalMatching, sc.LocalMatching))
		return
	}
	b, err := json.Marshal(sc)
	if err != nil {
		reject(in.ID, "encode score: "+err.Error())
		return
	}
	emit(string(b))
}
