package writing

import (
	"context"
	"encoding/json"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/progress"
	"github.com/rlcurate/rlcurate/internal/store"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register.Function2x0[transforms.Line, func(string, string)](keySampleRow)
	register.Emitter2[string, string]()
	register.Function3x0[transforms.Line, func(string, transforms.Line), func(layout.DeadLetter)](keyRollout)
	register.Function5x0[string, func(*string) bool, func(*transforms.Line) bool, func(Pending), func(layout.DeadLetter)](joinRollouts)
	register.Iter1[string]()
	register.Emitter1[Pending]()
	register.DoFn5x0[context.Context, Pending, func(string), func(layout.DeadLetter), func(judge.Stats)](&labelFn{})
}

// Pending is a rollout joined with its sample's row, waiting for the judge.
type Pending struct {
	Rollout transforms.Line
	Sample  string // the selected sample's row
}

// keySampleRow keys a selected sample row by its id (rows without one are dropped: they
// are the select job's output, not this job's input).
func keySampleRow(l transforms.Line, emit func(string, string)) {
	if id := ParseID([]byte(l.Text)); id != "" {
		emit(id, l.Text)
	}
}

func keyRollout(l transforms.Line, emit func(string, transforms.Line), dead func(layout.DeadLetter)) {
	r, err := ParseRollout([]byte(l.Text))
	if err != nil {
		dead(layout.DeadLetter{File: l.File, Line: l.Number, ID: r.ID, Stage: "parse", Reason: err.Error(), Record: l.Text})
		return
	}
	emit(r.SampleID, l)
}

// joinRollouts pairs every rollout of a sample id with the sample; rollouts of an unknown
// sample are dead letters. A sample id given twice in the samples uses the first row.
func joinRollouts(id string, samples func(*string) bool, rollouts func(*transforms.Line) bool, emit func(Pending), dead func(layout.DeadLetter)) {
	var sample, row string
	for samples(&row) {
		if sample == "" || row < sample {
			sample = row
		}
	}
	var l transforms.Line
	for rollouts(&l) {
		if sample == "" {
			dead(layout.DeadLetter{File: l.File, Line: l.Number, ID: ParseID([]byte(l.Text)), Stage: "join", Reason: "unknown sample_id " + id, Record: l.Text})
			continue
		}
		emit(Pending{Rollout: l, Sample: sample})
	}
}

// labelFn judges a bundle's rollouts concurrently (see scoreFn) against the reference under
// each sample's pointer in the schedule state, which Setup reads once.
type labelFn struct {
	Judge    judge.Config
	Schedule string
	Order    string
	Rewards  string
	Calls    int // judge calls per rollout

	j      *sharedJudge
	ctx    context.Context
	cancel context.CancelFunc
	order  rewards.Strategy
	pay    rewards.PairwiseRewards
	ptrs   map[string]int
	pool   *pool[labelResult]
}

type labelResult struct {
	row  string
	dead *layout.DeadLetter
}

func (fn *labelFn) Setup(ctx context.Context) error {
	var err error
	if fn.order, err = rewards.ParseStrategy(fn.Order); err != nil {
		return err
	}
	if fn.pay, err = rewards.ParsePairwiseRewards(fn.Rewards); err != nil {
		return err
	}
	if fn.j, err = openJudge(fn.Judge); err != nil {
		return err
	}
	st, err := store.Load(ctx, fn.Schedule)
	if err != nil {
		return err
	}
	fn.ptrs = map[string]int{}
	for id, s := range st.Samples {
		fn.ptrs[id] = s.Pointer
	}
	fn.ctx, fn.cancel = context.WithCancel(context.Background())
	return nil
}

func (fn *labelFn) StartBundle(context.Context, func(string), func(layout.DeadLetter), func(judge.Stats)) {
	_, samples := fn.Judge.Workers()
	fn.pool = newPool[labelResult](samples * max(1, 5/max(1, fn.Calls)))
}

func (fn *labelFn) ProcessElement(ctx context.Context, p Pending, emit func(string), dead func(layout.DeadLetter), _ func(judge.Stats)) {
	fn.pool.submit(func() labelResult { return fn.label(p) }, func(r labelResult) { sendLabel(r, emit, dead) })
}

func (fn *labelFn) FinishBundle(ctx context.Context, emit func(string), dead func(layout.DeadLetter), usage func(judge.Stats)) {
	fn.pool.drain(func(r labelResult) { sendLabel(r, emit, dead) })
	usage(fn.j.unreported())
}

func (fn *labelFn) Teardown() {
	if fn.cancel != nil {
		fn.cancel()
	}
}

func sendLabel(r labelResult, emit func(string), dead func(layout.DeadLetter)) {
	if r.dead != nil {
		dead(*r.dead)
		return
	}
	emit(r.row)
}

func (fn *labelFn) label(p Pending) labelResult {
	defer progress.Add("label", 1)
	l := p.Rollout
	fail := func(id string, err error) labelResult {
		return labelResult{dead: &layout.DeadLetter{File: l.File, Line: l.Number, ID: id, Stage: "label", Reason: err.Error(), Record: l.Text}}
	}
	r, err := ParseRollout([]byte(l.Text))
	if err != nil {
		return fail("", err)
	}
	s, err := ParseSample([]byte(p.Sample))
	if err != nil {
		return fail(r.ID, err)
	}
	ref := max(0, min(fn.ptrs[r.SampleID], len(s.References)-1)) // a mastered sample meets the strongest
	lab, err := LabelRollout(fn.ctx, fn.j, Judgement{Sample: s, Reference: ref, Order: fn.order, OrderName: fn.Order, Pay: fn.pay}, r)
	if err != nil {
		return fail(r.ID, err)
	}
	b, err := json.Marshal(lab)
	if err != nil {
		return fail(r.ID, err)
	}
	return labelResult{row: string(b)}
}
