package writing

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/store"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/schedule"
)

// AdvanceOptions configures writing advance.
type AdvanceOptions struct {
	Schedule string // state to start from
	Labels   string // glob of label rows (writing label's PREFIX/data/*.jsonl)
	Output   string // where the new state goes (may equal Schedule)
	Rule     string // released or k-of-n
	// Wins, Window and DemoteLosses configure k-of-n (DemoteLosses applies to both rules).
	Wins, Window, DemoteLosses int
}

// AdvanceResult is what an advance did.
type AdvanceResult struct {
	Labels, Validation int // rows read; validation rows among them (never applied)
	Moves              int // pointer moves made
	SamplesMoved       int // distinct samples that moved
	Samples, Mastered  int // samples in the new state; mastered among them
}

// String is the line writing advance prints.
func (r AdvanceResult) String() string {
	return fmt.Sprintf("advance: %d labels (%d validation, not applied), %d moves, %d samples moved, %d of %d samples mastered",
		r.Labels, r.Validation, r.Moves, r.SamplesMoved, r.Mastered, r.Samples)
}

// RuleOf returns the schedule rule named by o.
func (o AdvanceOptions) RuleOf() (schedule.Rule, error) {
	var r schedule.Rule
	switch o.Rule {
	case "released", "":
		r = schedule.Released
	case "k-of-n":
		r = schedule.Rule{Wins: o.Wins, Window: o.Window}
	default:
		return r, fmt.Errorf("unknown rule %q (want released or k-of-n)", o.Rule)
	}
	r.DemoteLosses = o.DemoteLosses
	return r, r.Validate()
}

// Advance applies the label rows to the schedule read from o.Schedule, in step order (then
// id), and writes the new state with its history to o.Output atomically.
func Advance(ctx context.Context, o AdvanceOptions) (AdvanceResult, error) {
	var res AdvanceResult
	rule, err := o.RuleOf()
	if err != nil {
		return res, err
	}
	if o.Schedule == "" || o.Output == "" || o.Labels == "" {
		return res, fmt.Errorf("--schedule, --labels and --output are required")
	}
	labels, err := readLabels(ctx, o.Labels)
	if err != nil {
		return res, err
	}
	base, err := store.Load(ctx, o.Schedule)
	if err != nil {
		return res, err
	}
	baseJSON, err := json.Marshal(base)
	if err != nil {
		return res, err
	}
	out, closeFn, err := store.Open(ctx, o.Output)
	if err != nil {
		return res, err
	}
	defer closeFn()
	err = out.Update(ctx, func(st *schedule.State) error {
		res = AdvanceResult{Labels: len(labels)}
		*st = schedule.State{}
		if err := json.Unmarshal(baseJSON, st); err != nil {
			return err
		}
		moved := map[string]bool{}
		for _, l := range labels {
			obs, err := observation(l)
			if err != nil {
				return err
			}
			if obs.Validation {
				res.Validation++
				continue
			}
			mv, ok, err := rule.Apply(st, obs, time.Now().UTC())
			if err != nil {
				return fmt.Errorf("label %s: %w", l.ID, err)
			}
			if ok {
				res.Moves++
				moved[mv.Sample] = true
			}
		}
		res.SamplesMoved = len(moved)
		for _, s := range st.Samples {
			res.Samples++
			if s.Mastered() {
				res.Mastered++
			}
		}
		return nil
	})
	return res, err
}

func observation(l LabelRow) (schedule.Observation, error) {
	outs := map[string]rewards.Outcome{"win": rewards.Win, "tie": rewards.Tie, "loss": rewards.Loss}
	o, ok := outs[l.Outcome]
	if !ok {
		return schedule.Observation{}, fmt.Errorf("label %s: outcome %q", l.ID, l.Outcome)
	}
	return schedule.Observation{Sample: l.SampleID, Rungs: l.Rungs, Outcome: o, Step: l.Step, Validation: l.Split == "validation"}, nil
}

// readLabels reads every label row of the files matching glob, sorted by step then id.
func readLabels(ctx context.Context, glob string) ([]LabelRow, error) {
	files, err := blob.List(ctx, glob)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no label files match %s", glob)
	}
	var rows []LabelRow
	for _, f := range files {
		if blob.IsTemp(f) {
			continue
		}
		b, err := blob.ReadFile(ctx, f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 64<<20)
		for n := 1; sc.Scan(); n++ {
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			var l LabelRow
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", f, n, err)
			}
			rows = append(rows, l)
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Step != rows[j].Step {
			return rows[i].Step < rows[j].Step
		}
		return rows[i].ID < rows[j].ID
	})
	return rows, nil
}
