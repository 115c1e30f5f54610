package schedule

import (
	"context"
	"encoding/json"
	"fmt"
)

// Store holds the State shared by several reward workers. The file and GCS stores
// live in internal/store; this package only defines what they must do.
type Store interface {
	// Load returns the current state (an empty one if none was saved yet).
	Load(ctx context.Context) (*State, error)
	// Update reads the state, applies fn and writes the result atomically, so
	// that concurrent updaters (goroutines or processes) lose no update. fn may
	// run more than once (on a write conflict) and must depend only on the state
	// it is given. An error from fn aborts the update and is returned.
	Update(ctx context.Context, fn func(*State) error) error
}

// DecodeState parses a state as a Store keeps it; empty data gives a new state.
func DecodeState(b []byte) (*State, error) {
	st := NewState()
	if len(b) == 0 {
		return st, nil
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("decode schedule state: %w", err)
	}
	if st.Samples == nil {
		st.Samples = map[string]*SampleState{}
	}
	return st, nil
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
