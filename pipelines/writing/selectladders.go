package writing

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/store"
	"github.com/rlcurate/rlcurate/schedule"
)

// CountMastered is the manifest count of the samples writing select left out because their
// ladder is mastered (--retire-mastered); they are counted in "filtered" too.
const CountMastered = layout.CountFiltered + ".mastered"

// Ladders is what writing select takes from the reference schedule (--schedule STATE, any
// store internal/store opens): the samples to leave out (--retire-mastered) and each
// sample's level for the sampling weights (--reweight-by-level). The launcher reads the
// state once (Load); the pipeline gets the mastered ids and the levels as DoFn fields,
// never the state itself.
type Ladders struct {
	Schedule        string // the state's URL or path; "" for none
	RetireMastered  bool
	ReweightByLevel bool
	// Levels holds every sample of the state by id, filled by Load.
	Levels map[string]Level
}

// Level is a sample's place on its ladder in the schedule: its pointer (0 = weakest
// reference) and its rungs (references); Pointer == Rungs is mastered.
type Level struct {
	Pointer int
	Rungs   int
}

// Mastered reports whether the sample has beaten its strongest reference, by the
// schedule's rule (schedule.SampleState.Mastered).
func (l Level) Mastered() bool {
	s := schedule.SampleState{Pointer: l.Pointer, Rungs: l.Rungs}
	return s.Mastered()
}

// Validate refuses the options that cannot work: --retire-mastered or --reweight-by-level
// without --schedule, --schedule alone (it would be read for nothing), and
// --reweight-by-level under --min-margin (threshold), whose one-pass selection does not
// know the selected rows that the weights are normalised over.
func (l Ladders) Validate(threshold bool) error {
	uses := l.RetireMastered || l.ReweightByLevel
	switch {
	case uses && l.Schedule == "":
		return errors.New("--retire-mastered and --reweight-by-level need --schedule STATE")
	case !uses && l.Schedule != "":
		return errors.New("--schedule is read only for --retire-mastered or --reweight-by-level: give one of them")
	case l.ReweightByLevel && threshold:
		return errors.New("--reweight-by-level needs --top-k: the weights are normalised over the selected rows")
	}
	return nil
}

// Load reads the schedule state once and fills Levels; no --schedule loads nothing. A
// missing state is an empty schedule (every sample at level 0); an unreadable or
// untrustworthy one is an error.
func (l *Ladders) Load(ctx context.Context) error {
	if l.Schedule == "" {
		return nil
	}
	st, err := store.Load(ctx, l.Schedule)
	if err != nil {
		return fmt.Errorf("--schedule %s: %w", store.Redact(l.Schedule), err)
	}
	l.Levels = make(map[string]Level, len(st.Samples))
	for id, s := range st.Samples {
		l.Levels[id] = Level{Pointer: s.Pointer, Rungs: s.Rungs}
	}
	return nil
}

// Mastered returns the sorted ids of the mastered samples under --retire-mastered, none
// without it.
func (l Ladders) Mastered() []string {
	if !l.RetireMastered {
		return nil
	}
	var ids []string
	for id, lv := range l.Levels {
		if lv.Mastered() {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// Describe returns the options for the manifest's config: the schedule (credentials
// redacted), the two switches and how many samples the state holds and has mastered.
func (l Ladders) Describe() map[string]any {
	mastered := 0
	for _, lv := range l.Levels {
		if lv.Mastered() {
			mastered++
		}
	}
	return map[string]any{"schedule": store.Redact(l.Schedule), "retire_mastered": l.RetireMastered,
		"reweight_by_level": l.ReweightByLevel, "schedule_samples": len(l.Levels), "schedule_mastered": mastered}
}
