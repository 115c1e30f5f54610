package writing

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
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
	Applied            int // labels already applied by an earlier advance (or twice in the input): skipped
	SamplesMoved       int // distinct samples that moved
	Samples, Mastered  int // samples in the new state; mastered among them
	// LevelsBefore and LevelsAfter count the samples at each ladder level (pointer)
	// before and after the labels were applied (a sample new to the schedule was at 0);
	// a mastered sample is at its rung count.
	LevelsBefore, LevelsAfter map[int]int
}

// Counts are the result's numbers under the names of the JSON summary and the report.
func (r AdvanceResult) Counts() map[string]int64 {
	return map[string]int64{"labels": int64(r.Labels), "validation": int64(r.Validation), "moves": int64(r.Moves),
		"already_applied": int64(r.Applied), "samples_moved": int64(r.SamplesMoved), "samples": int64(r.Samples), "mastered": int64(r.Mastered)}
}

// levels counts the samples of st at each pointer.
func levels(st *schedule.State) map[int]int {
	out := map[int]int{}
	for _, s := range st.Samples {
		out[s.Pointer]++
	}
	return out
}

// String is the line writing advance prints.
func (r AdvanceResult) String() string {
	return fmt.Sprintf("advance: %d labels (%d validation, not applied), %d moves, %d already applied, %d samples moved, %d of %d samples mastered",
		r.Labels, r.Validation, r.Moves, r.Applied, r.SamplesMoved, r.Mastered, r.Samples)
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

// Advance applies the label rows to the schedule, in step order (then id), each label id
// at most once (schedule.Rule.ApplyLabel), and writes the new state with its history to
// o.Output atomically, keeping the generation it replaces as OUTPUT.prev.
//
// Everything happens inside one Update of the output store: under its lock (a file) or
// its generation precondition (gs://), the state is read, the labels applied and the
// result written, so concurrent advances and serve lose nothing. When o.Schedule is
// o.Output the labels apply to the state found there; otherwise the output becomes the
// state read from o.Schedule (read inside the update, unlocked: every write of a state
// is atomic) plus the labels. A state that cannot be trusted (schedule.ErrBadState) is
// refused and left as it is.
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
	out, closeOut, err := store.Open(ctx, o.Output, store.KeepPrevious())
	if err != nil {
		return res, err
	}
	defer closeOut()
	var src schedule.Store // nil: the labels apply to the output's own state
	if !samePath(o.Schedule, o.Output) {
		s, closeSrc, err := store.Open(ctx, o.Schedule)
		if err != nil {
			return res, err
		}
		defer closeSrc()
		src = s
	}
	err = out.Update(ctx, func(st *schedule.State) error {
		if src != nil {
			base, err := src.Load(ctx)
			if err != nil {
				return err
			}
			*st = *base
		}
		res, err = applyLabels(st, rule, labels, time.Now().UTC())
		return err
	})
	return res, err
}

// samePath reports whether two state paths name the same state.
func samePath(a, b string) bool {
	if blob.IsGCS(a) || blob.IsGCS(b) {
		return a == b
	}
	return filepath.Clean(a) == filepath.Clean(b)
}

// applyLabels applies the label rows to st, each id at most once, and counts what happened.
func applyLabels(st *schedule.State, rule schedule.Rule, labels []LabelRow, now time.Time) (AdvanceResult, error) {
	res := AdvanceResult{Labels: len(labels), LevelsBefore: levels(st)}
	known := make(map[string]bool, len(st.Samples))
	for id := range st.Samples {
		known[id] = true
	}
	moved := map[string]bool{}
	for _, l := range labels {
		obs, err := observation(l)
		if err != nil {
			return res, err
		}
		if obs.Validation {
			res.Validation++
			continue
		}
		mv, ok, already, err := rule.ApplyLabel(st, l.ID, obs, now)
		switch {
		case err != nil:
			return res, fmt.Errorf("label %s: %w", l.ID, err)
		case already:
			res.Applied++
		case ok:
			res.Moves++
			moved[mv.Sample] = true
		}
	}
	res.SamplesMoved = len(moved)
	res.LevelsAfter = levels(st)
	for id := range st.Samples {
		if !known[id] {
			res.LevelsBefore[0]++ // a sample the schedule did not hold yet was at the weakest reference
		}
	}
	for _, s := range st.Samples {
		res.Samples++
		if s.Mastered() {
			res.Mastered++
		}
	}
	return res, nil
}

func observation(l LabelRow) (schedule.Observation, error) {
	outs := map[string]rewards.Outcome{"win": rewards.Win, "tie": rewards.Tie, "loss": rewards.Loss}
	o, ok := outs[l.Outcome]
	if !ok {
		return schedule.Observation{}, fmt.Errorf("label %s: outcome %q", l.ID, l.Outcome)
	}
	return schedule.Observation{Sample: l.SampleID, Rungs: l.Rungs, Outcome: o, Step: l.Step, Validation: l.Split == "validation"}, nil
}

// readLabels reads every label row of the files glob stands for (blob.Expand: the
// shards writing label's manifest lists when glob is its PREFIX/data), sorted by step
// then id.
func readLabels(ctx context.Context, glob string) ([]LabelRow, error) {
	files, err := blob.Expand(ctx, glob)
	if err != nil {
		return nil, fmt.Errorf("no label files: %w", err)
	}
	var rows []LabelRow
	for _, f := range files {
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
