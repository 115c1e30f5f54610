package schedule

import (
	"context"
	"fmt"
	"time"
)

// Ladder is the reference schedule that reward workers call: it reads and moves
// pointers through a shared Store.
type Ladder struct {
	Rule  Rule
	Store Store
	// Now gives the time recorded in moves; nil means time.Now.
	Now func() time.Time
}

// Reference returns the index of the reference the sample must be compared with
// (0 for a sample never seen), clamped to the strongest of rungs references.
func (l *Ladder) Reference(ctx context.Context, sample string, rungs int) (int, error) {
	st, err := l.Store.Load(ctx)
	if err != nil {
		return 0, fmt.Errorf("reference for %q: %w", sample, err)
	}
	s := st.Samples[sample]
	if s == nil {
		return 0, nil
	}
	c := *s
	c.Rungs = rungs
	return c.Reference(), nil
}

// Observe records the observations in one atomic update of the store and
// returns the moves they caused. Validation observations are ignored.
func (l *Ladder) Observe(ctx context.Context, obs ...Observation) ([]Move, error) {
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	var moves []Move
	err := l.Store.Update(ctx, func(st *State) error {
		moves = moves[:0] // the update may be retried
		for _, o := range obs {
			mv, moved, err := l.Rule.Apply(st, o, now())
			if err != nil {
				return err
			}
			if moved {
				moves = append(moves, mv)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("observe %d outcomes: %w", len(obs), err)
	}
	return moves, nil
}
