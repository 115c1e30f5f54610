package schedule

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	"cloud.google.com/go/storage"
	"google.golang.org/api/googleapi"
)

// ErrTooManyConflicts means an update kept losing the race for the object.
var ErrTooManyConflicts = errors.New("too many concurrent update conflicts")

// GCSStore keeps the state in one Cloud Storage object. Update reads the object
// and its generation and writes the new state with an ifGenerationMatch
// precondition (ifGenerationMatch=0, i.e. DoesNotExist, for the first write); if
// another worker wrote in between, GCS answers 412 and the update is retried
// from a fresh read, up to MaxAttempts times with jittered backoff.
type GCSStore struct {
	Client *storage.Client
	Bucket string
	Object string
	// MaxAttempts bounds the retries on conflict (0 means 50).
	MaxAttempts int
}

func (g *GCSStore) handle() *storage.ObjectHandle {
	return g.Client.Bucket(g.Bucket).Object(g.Object)
}

// Load reads the state (an empty state if the object does not exist).
func (g *GCSStore) Load(ctx context.Context) (*State, error) {
	st, _, err := g.read(ctx)
	return st, err
}

// read returns the state and the generation it was read at (0 if absent).
func (g *GCSStore) read(ctx context.Context) (*State, int64, error) {
	r, err := g.handle().NewReader(ctx)
	if errors.Is(err, storage.ErrObjectNotExist) {
		return NewState(), 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read gs://%s/%s: %w", g.Bucket, g.Object, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, 0, fmt.Errorf("read gs://%s/%s: %w", g.Bucket, g.Object, err)
	}
	st, err := decodeState(b)
	if err != nil {
		return nil, 0, fmt.Errorf("read gs://%s/%s: %w", g.Bucket, g.Object, err)
	}
	return st, r.Attrs.Generation, nil
}

// Update is a read-modify-write under a generation precondition, retried on conflict.
func (g *GCSStore) Update(ctx context.Context, fn func(*State) error) error {
	attempts := g.MaxAttempts
	if attempts <= 0 {
		attempts = 50
	}
	backoff := 5 * time.Millisecond
	for i := 0; i < attempts; i++ {
		st, gen, err := g.read(ctx)
		if err != nil {
			return err
		}
		if err := fn(st); err != nil {
			return err
		}
		b, err := encodeState(st)
		if err != nil {
			return err
		}
		err = g.write(ctx, b, gen)
		if err == nil {
			return nil
		}
		if !isConflict(err) {
			return fmt.Errorf("write gs://%s/%s: %w", g.Bucket, g.Object, err)
		}
		sleep := backoff/2 + rand.N(backoff)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(sleep):
		}
		backoff = min(2*backoff, 500*time.Millisecond)
	}
	return fmt.Errorf("update gs://%s/%s: %w", g.Bucket, g.Object, ErrTooManyConflicts)
}

// write uploads b if the object is still at generation gen (absent when gen is 0).
func (g *GCSStore) write(ctx context.Context, b []byte, gen int64) error {
	cond := storage.Conditions{GenerationMatch: gen}
	if gen == 0 {
		cond = storage.Conditions{DoesNotExist: true}
	}
	w := g.handle().If(cond).NewWriter(ctx)
	w.ContentType = "application/json"
	if _, err := w.Write(b); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// isConflict reports a failed precondition (412) or a concurrent-write conflict (409).
func isConflict(err error) bool {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Code == http.StatusPreconditionFailed || ge.Code == http.StatusConflict
	}
	return false
}
