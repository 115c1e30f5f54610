package writing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/progress"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register.DoFn6x0[context.Context, transforms.Line, func(string), func(layout.DeadLetter), func(Unasked), func(GenerateUsage)](&generateFn{})
	register.Emitter1[Unasked]()
	register.Emitter1[GenerateUsage]()
}

// The dead-letter stages of writing generate.
const (
	StageParse    = "parse"    // the row is not a prompt of --input-format
	StageGenerate = "generate" // a model kept failing for the prompt
)

// Unasked is a prompt left out because the spending budget stopped the job before all of
// its answers were had (counted as filtered, reason "budget").
type Unasked struct {
	ID   string
	File string
	Line int64
}

// generateFn asks every model for its answer to each prompt: the prompts of a bundle run
// concurrently (pool) and so do the models of a prompt; each model has one judge.Client
// per process (its limits, cache and in-flight deduplication cover the worker), and the
// budget is one per process and run. FinishBundle emits the usage the bundle added.
type generateFn struct {
	Opts GenerateOptions

	clients []*sharedClient
	budget  *judge.Budget
	ctx     context.Context
	cancel  context.CancelFunc
	pool    *pool[genResult]
}

type genResult struct {
	row     string
	dead    *layout.DeadLetter
	unasked *Unasked
}

func (fn *generateFn) Setup() error {
	key, _ := judge.GenerateKeyFromEnv()
	for _, m := range fn.Opts.Models() {
		c, err := openClient(fn.Opts, m, key)
		if err != nil {
			return err
		}
		fn.clients = append(fn.clients, c)
	}
	fn.budget = openBudget(fn.Opts)
	fn.ctx, fn.cancel = context.WithCancel(context.Background())
	return nil
}

func (fn *generateFn) StartBundle(context.Context, func(string), func(layout.DeadLetter), func(Unasked), func(GenerateUsage)) {
	fn.pool = newPool[genResult](max(8, 2*max(1, fn.Opts.Concurrency)))
}

func (fn *generateFn) ProcessElement(_ context.Context, l transforms.Line, emit func(string), dead func(layout.DeadLetter), unasked func(Unasked), _ func(GenerateUsage)) {
	fn.pool.submit(func() genResult { return fn.generate(l) }, func(r genResult) { r.send(emit, dead, unasked) })
}

func (fn *generateFn) FinishBundle(_ context.Context, emit func(string), dead func(layout.DeadLetter), unasked func(Unasked), usage func(GenerateUsage)) {
	fn.pool.drain(func(r genResult) { r.send(emit, dead, unasked) })
	var u GenerateUsage
	for _, c := range fn.clients {
		u.Models = append(u.Models, ModelStats{Model: c.model, Stats: c.unreported()})
	}
	usage(u)
}

func (fn *generateFn) Teardown() {
	if fn.cancel != nil {
		fn.cancel()
	}
}

func (r genResult) send(emit func(string), dead func(layout.DeadLetter), unasked func(Unasked)) {
	switch {
	case r.dead != nil:
		dead(*r.dead)
	case r.unasked != nil:
		unasked(*r.unasked)
	default:
		emit(r.row)
	}
}

// generate parses one row and asks every model for its answer.
func (fn *generateFn) generate(l transforms.Line) genResult {
	defer progress.Add("generate", 1)
	deadLetter := func(id, stage string, err error) genResult {
		return genResult{dead: &layout.DeadLetter{File: l.File, Line: l.Number, ID: id, Stage: stage, Reason: err.Error(), Record: l.Text}}
	}
	p, err := ParsePrompt(fn.Opts.Format, []byte(l.Text))
	if err != nil {
		return deadLetter("", StageParse, err)
	}
	answers, err := fn.ask(p.Prompt)
	switch {
	case errors.Is(err, judge.ErrBudget):
		return genResult{unasked: &Unasked{ID: p.ID, File: l.File, Line: l.Number}}
	case err != nil:
		return deadLetter(p.ID, StageGenerate, err)
	}
	row, err := GeneratedRow(p, fn.Opts, answers)
	if err != nil {
		return deadLetter(p.ID, StageGenerate, err)
	}
	return genResult{row: row}
}

// ask gets every model's answer to prompt, concurrently. A model that failed makes an
// error naming it (all failing models named); else a call the budget refused makes
// judge.ErrBudget. Answers that came are cached either way, so a rerun asks only the rest.
func (fn *generateFn) ask(prompt string) ([]judge.Completion, error) {
	msgs := []judge.Message{{Role: "user", Content: prompt}}
	answers := make([]judge.Completion, len(fn.clients))
	errs := make([]error, len(fn.clients))
	var wg sync.WaitGroup
	for i, c := range fn.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i], errs[i] = c.Complete(fn.ctx, msgs, fn.check, fn.budget)
			if errs[i] == nil && fn.Opts.StripThinking {
				answers[i].Text, _ = judge.StripThinking(answers[i].Text) // check refused an empty answer
			}
		}()
	}
	wg.Wait()
	var failed []string
	budget := false
	for i, err := range errs {
		switch {
		case errors.Is(err, judge.ErrBudget):
			budget = true
		case err != nil:
			failed = append(failed, fmt.Sprintf("model %s: %v", fn.clients[i].model, err))
		}
	}
	switch {
	case len(failed) > 0:
		return nil, errors.New(strings.Join(failed, "; "))
	case budget:
		return nil, judge.ErrBudget
	}
	return answers, nil
}

// check refuses a reply with no text (after the thinking, under --strip-thinking, where a
// reply cut off while thinking is empty: judge.StripThinking): it is neither cached nor
// kept, and is asked again up to --max-attempts times.
func (fn *generateFn) check(reply string) error {
	note := ""
	if fn.Opts.StripThinking {
		reply, note = judge.StripThinking(reply)
	}
	switch {
	case strings.TrimSpace(reply) != "":
		return nil
	case note != "":
		return fmt.Errorf("empty answer (%s)", note)
	}
	return errors.New("empty answer")
}
