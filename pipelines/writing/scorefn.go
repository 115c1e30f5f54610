package writing

import (
	"context"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/progress"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register.DoFn5x0[context.Context, transforms.Line, func(Scored), func(layout.DeadLetter), func(judge.Stats)](&scoreFn{})
	register.Emitter1[Scored]()
	register.Emitter1[judge.Stats]()
}

// Scored is a sample with its judge scores, as it travels between the select job's steps.
type Scored struct {
	ID         string
	File       string
	Line       int64
	Record     string    // the input row
	Policy     float64   // policy score
	References []float64 // reference scores, input order
}

// Scores returns the sample's scores.
func (s Scored) Scores() Scores { return Scores{Policy: s.Policy, References: s.References} }

// scoreFn scores the samples of a bundle concurrently: ProcessElement hands each sample to
// a pool (its requests run concurrently too) and emits whatever has finished; FinishBundle
// waits for the rest, then emits the judge usage of the bundle.
type scoreFn struct {
	Judge judge.Config

	j         *sharedJudge
	ctx       context.Context
	cancel    context.CancelFunc
	perSample int
	pool      *pool[scoreResult]
}

type scoreResult struct {
	scored Scored
	dead   *layout.DeadLetter
}

func (fn *scoreFn) Setup() error {
	j, err := openJudge(fn.Judge)
	if err != nil {
		return err
	}
	fn.j = j
	fn.ctx, fn.cancel = context.WithCancel(context.Background())
	return nil
}

func (fn *scoreFn) StartBundle(context.Context, func(Scored), func(layout.DeadLetter), func(judge.Stats)) {
	per, samples := fn.Judge.Workers()
	fn.perSample, fn.pool = per, newPool[scoreResult](samples)
}

func (fn *scoreFn) ProcessElement(ctx context.Context, l transforms.Line, emit func(Scored), dead func(layout.DeadLetter), _ func(judge.Stats)) {
	fn.pool.submit(func() scoreResult { return fn.score(l) }, func(r scoreResult) { send(r, emit, dead) })
}

func (fn *scoreFn) FinishBundle(ctx context.Context, emit func(Scored), dead func(layout.DeadLetter), usage func(judge.Stats)) {
	fn.pool.drain(func(r scoreResult) { send(r, emit, dead) })
	usage(fn.j.unreported())
}

func (fn *scoreFn) Teardown() {
	if fn.cancel != nil {
		fn.cancel()
	}
}

func send(r scoreResult, emit func(Scored), dead func(layout.DeadLetter)) {
	if r.dead != nil {
		dead(*r.dead)
		return
	}
	emit(r.scored)
}

// score parses and scores one sample (parsing cannot fail here: the row was checked).
func (fn *scoreFn) score(l transforms.Line) scoreResult {
	defer progress.Add("score", 1)
	s, err := ParseSample([]byte(l.Text))
	if err == nil {
		var sc Scores
		sc, err = ScoreSample(fn.ctx, fn.j, s, fn.perSample)
		if err == nil {
			return scoreResult{scored: Scored{ID: s.ID, File: l.File, Line: l.Number, Record: l.Text, Policy: sc.Policy, References: sc.References}}
		}
	}
	return scoreResult{dead: &layout.DeadLetter{File: l.File, Line: l.Number, ID: s.ID, Stage: "score", Reason: err.Error(), Record: l.Text}}
}
