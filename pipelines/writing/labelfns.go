package writing

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/progress"
	"github.com/rlcurate/rlcurate/internal/store"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register.Function2x0[transforms.Line, func(string, []byte)](keySampleRow)
	register.Emitter2[string, []byte]()
	register.Function3x0[transforms.Line, func(string, []byte), func(layout.DeadLetter)](keyRollout)
	register.DoFn5x1[context.Context, transforms.Part, func(Pending), func(layout.DeadLetter), func(int), error](&joinRolloutsFn{})
	register.Emitter1[Pending]()
	register.Emitter1[int]()
	register.DoFn5x0[context.Context, Pending, func(string), func(layout.DeadLetter), func(judge.Stats)](&labelFn{})
}

// Pending is a rollout joined with its sample's row, waiting for the judge.
type Pending struct {
	Rollout transforms.Line
	Sample  string // the selected sample's row
}

// The join of samples and rollouts is a sort by sample id (transforms.SortEntries) whose
// values carry a tag: a sample's value sorts before every rollout's, and among samples of
// one id the smallest row comes first.
const (
	tagSample  byte = 0 // then the sample's row
	tagRollout byte = 1 // then the rollout's line (transforms.LineSortValue)
)

// keySampleRow keys a selected sample row by its id (rows without one are dropped: they
// are the select job's output, not this job's input).
func keySampleRow(l transforms.Line, emit func(string, []byte)) {
	if id := ParseID([]byte(l.Text)); id != "" {
		emit(id, append([]byte{tagSample}, l.Text...))
	}
}

// keyRollout keys a rollout by its sample id; a rollout that does not parse is a dead
// letter.
func keyRollout(l transforms.Line, emit func(string, []byte), dead func(layout.DeadLetter)) {
	r, err := ParseRollout([]byte(l.Text))
	if err != nil {
		dead(layout.DeadLetter{File: l.File, Line: l.Number, ID: r.ID, Stage: "parse", Reason: err.Error(), Record: l.Text})
		return
	}
	emit(r.SampleID, append([]byte{tagRollout}, transforms.LineSortValue(l)...))
}

// joinRolloutsFn merges one part of the samples and rollouts sorted by sample id: it
// pairs every rollout of a sample id with the sample, and dead-letters the rollouts of
// an unknown sample. A sample id given twice in the samples uses the first row (the
// smallest). It then emits the part's index on merged.
type joinRolloutsFn struct{}

func (*joinRolloutsFn) ProcessElement(ctx context.Context, part transforms.Part, emit func(Pending), dead func(layout.DeadLetter), merged func(int)) error {
	var id, sample string
	err := transforms.MergePart(ctx, part, func(key string, value []byte) error {
		if len(value) == 0 {
			return fmt.Errorf("join of sample id %s: empty sort value", key)
		}
		if key != id {
			id, sample = key, ""
		}
		if value[0] == tagSample {
			if sample == "" {
				sample = string(value[1:])
			}
			return nil
		}
		l, err := transforms.DecodeLineSortValue(value[1:])
		if err != nil {
			return err
		}
		if sample == "" {
			dead(layout.DeadLetter{File: l.File, Line: l.Number, ID: ParseID([]byte(l.Text)), Stage: "join", Reason: "unknown sample_id " + key, Record: l.Text})
			return nil
		}
		emit(Pending{Rollout: l, Sample: sample})
		return nil
	})
	if err != nil {
		return err
	}
	merged(part.Index)
	return nil
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
	lab, err := LabelRollout(fn.ctx, fn.j, Judgement{Sample: s, Reference: ref, Order: fn.order, OrderName: fn.Order, Pay: fn.pay, KeepThinking: fn.Judge.KeepThinking}, r)
	if err != nil {
		return fail(r.ID, err)
	}
	b, err := json.Marshal(lab)
	if err != nil {
		return fail(r.ID, err)
	}
	return labelResult{row: string(b)}
}
