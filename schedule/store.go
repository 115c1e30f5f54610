package schedule

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Store holds the State shared by several reward workers. The file and GCS stores
// live in internal/store; this package only defines what they must do.
type Store interface {
	// Load returns the current state (an empty one if none was saved yet). A state that
	// exists but cannot be trusted (DecodeState) is an error wrapping ErrBadState.
	Load(ctx context.Context) (*State, error)
	// Update reads the state, applies fn and writes the result atomically, so
	// that concurrent updaters (goroutines or processes) lose no update. fn may
	// run more than once (on a write conflict) and must depend only on the state
	// it is given. An error from fn aborts the update and is returned; so does a
	// bad state (ErrBadState), which is left as it is.
	Update(ctx context.Context, fn func(*State) error) error
}

// ErrBadState means a stored state exists but cannot be trusted: empty, `null`, not
// JSON, of an unknown version, or out of range (a pointer beyond its ladder). Nothing
// is ever written over such a state; a person must look at it.
var ErrBadState = errors.New("bad schedule state")

// DecodeState parses a state as a Store keeps it and checks it (State.Validate). Empty
// data is refused: a missing state is a fresh schedule, but the store says so, not the
// bytes (a 0-byte file is a truncated write or a mistake, not an empty schedule).
func DecodeState(b []byte) (*State, error) {
	trimmed := bytes.TrimSpace(b)
	switch {
	case len(trimmed) == 0:
		return nil, fmt.Errorf("%w: empty (%d bytes); delete it to start a fresh schedule", ErrBadState, len(b))
	case bytes.Equal(trimmed, []byte("null")):
		return nil, fmt.Errorf("%w: null", ErrBadState)
	}
	st := &State{}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("%w: not a state object: %v", ErrBadState, err)
	}
	if err := st.Validate(); err != nil {
		return nil, err
	}
	if st.Samples == nil {
		st.Samples = map[string]*SampleState{}
	}
	return st, nil
}

// Validate checks that st can be used: the known version, and every sample on its ladder
// (at least one rung, 0 <= pointer <= rungs, recent outcomes win, tie or loss).
func (st *State) Validate() error {
	if st.Version != StateVersion {
		return fmt.Errorf("%w: unknown version %d (this runner reads version %d)", ErrBadState, st.Version, StateVersion)
	}
	for id, s := range st.Samples {
		switch {
		case s == nil:
			return fmt.Errorf("%w: sample %q is null", ErrBadState, id)
		case s.Rungs < 1:
			return fmt.Errorf("%w: sample %q has %d rungs (want >= 1)", ErrBadState, id, s.Rungs)
		case s.Pointer < 0 || s.Pointer > s.Rungs:
			return fmt.Errorf("%w: sample %q pointer %d beyond its ladder of %d rungs", ErrBadState, id, s.Pointer, s.Rungs)
		}
		for _, r := range s.Recent {
			if r != "win" && r != "tie" && r != "loss" {
				return fmt.Errorf("%w: sample %q recent outcome %q", ErrBadState, id, r)
			}
		}
	}
	return nil
}

// EncodeState renders the state as a Store keeps it: indented JSON ending in a newline.
// A state without a version gets StateVersion.
func EncodeState(st *State) ([]byte, error) {
	if st.Version == 0 {
		st.Version = StateVersion
	}
	b, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		return nil, fmt.Errorf("encode schedule state: %w", err)
	}
	return append(b, '\n'), nil
}
