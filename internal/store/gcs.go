package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"time"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/schedule"
)

// ErrTooManyConflicts means an update kept losing the race for the object.
var ErrTooManyConflicts = errors.New("too many concurrent update conflicts")

// GCS keeps the state in one Cloud Storage object, Path (gs://bucket/object). Update
// reads the object and its generation and writes the new state with an
// ifGenerationMatch precondition (ifGenerationMatch=0, i.e. DoesNotExist, for the first
// write); if another worker wrote in between, GCS answers 412 and the update is retried
// from a fresh read, up to MaxAttempts times with jittered backoff. With KeepPrev, each
// attempt first writes the generation it read to the object Path+".prev" (so when the
// conditional write succeeds, .prev holds the generation it replaced). A bad state
// (schedule.ErrBadState) is refused and left as it is.
type GCS struct {
	// Client reaches GCS (blob.NewGCS); the store does not close it.
	Client *blob.GCS
	Path   string
	// MaxAttempts bounds the retries on conflict (0 means 50).
	MaxAttempts int
	// KeepPrev keeps the replaced generation as the object Path+".prev" (one backup).
	KeepPrev bool
}

// Load reads the state (an empty state if the object does not exist).
func (g *GCS) Load(ctx context.Context) (*schedule.State, error) {
	st, _, _, err := g.read(ctx)
	return st, err
}

// read returns the state, the bytes it was decoded from and the generation it was read
// at (nil and 0 if absent: a fresh state).
func (g *GCS) read(ctx context.Context) (*schedule.State, []byte, int64, error) {
	b, gen, err := g.Client.ReadGeneration(ctx, g.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return schedule.NewState(), nil, 0, nil
	}
	if err != nil {
		return nil, nil, 0, err
	}
	st, err := schedule.DecodeState(b)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("read %s: %w", g.Path, err)
	}
	return st, b, gen, nil
}

// Update is a read-modify-write under a generation precondition, retried on conflict.
// An update that changes nothing writes nothing.
func (g *GCS) Update(ctx context.Context, fn func(*schedule.State) error) error {
	attempts := g.MaxAttempts
	if attempts <= 0 {
		attempts = 50
	}
	backoff := 5 * time.Millisecond
	for i := 0; i < attempts; i++ {
		st, old, gen, err := g.read(ctx)
		if err != nil {
			return err
		}
		b, err := change(ctx, g.Path, st, old, g.KeepPrev, fn)
		if err != nil || b == nil {
			return err
		}
		err = g.Client.WriteIfGeneration(ctx, g.Path, b, "application/json", gen)
		if err == nil {
			return nil
		}
		if !errors.Is(err, blob.ErrPreconditionFailed) {
			return err
		}
		sleep := backoff/2 + rand.N(backoff)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(sleep):
		}
		backoff = min(2*backoff, 500*time.Millisecond)
	}
	return fmt.Errorf("update %s: %w", g.Path, ErrTooManyConflicts)
}
