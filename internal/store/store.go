// Package store keeps the writing schedule's shared state (schedule.State) where
// several workers reach it: File, one local JSON file under a flock; GCS, one Cloud
// Storage object updated under generation preconditions; and Postgres, tables in a
// PostgreSQL database updated in transactions. Open picks one from a path or URL.
// Package schedule holds the rules; this package holds the storage.
package store

import (
	"bytes"
	"context"
	"fmt"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/schedule"
)

// Option changes how Open's store writes.
type Option func(*options)

type options struct{ keepPrev bool }

// KeepPrevious makes every update keep the generation it replaces as PATH.prev (a file
// beside a local state, the object PATH.prev on gs://): one backup, which writing
// advance keeps; serve, which updates on every request, does not.
func KeepPrevious() Option { return func(o *options) { o.keepPrev = true } }

// Open returns the schedule store at path: a Postgres store for a postgres:// or
// postgresql:// URL (KeepPrevious does not apply: the database keeps its own backups),
// a GCS store for gs://bucket/object (its client honours STORAGE_EMULATOR_HOST), else a
// File store. The returned close function releases the connection pool or GCS client.
func Open(ctx context.Context, path string, opts ...Option) (schedule.Store, func(), error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if path == "" {
		return nil, nil, fmt.Errorf("no schedule path")
	}
	if IsPostgres(path) {
		p, err := OpenPostgres(ctx, path)
		if err != nil {
			return nil, nil, err
		}
		return p, p.Pool.Close, nil
	}
	if !blob.IsGCS(path) {
		return &File{Path: path, KeepPrev: o.keepPrev}, func() {}, nil
	}
	if _, _, err := blob.SplitGCS(path); err != nil {
		return nil, nil, fmt.Errorf("schedule %w", err)
	}
	c, err := blob.NewGCS(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("schedule %s: %w", path, err)
	}
	return &GCS{Client: c, Path: path, KeepPrev: o.keepPrev}, func() { c.Close() }, nil
}

// Load reads the schedule state at path (an empty state if there is none yet).
func Load(ctx context.Context, path string) (*schedule.State, error) {
	st, closeFn, err := Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	return st.Load(ctx)
}

// change applies fn to st (read as old) and returns the encoded new state, or nil when fn
// changed nothing, so that an update that moves nothing writes nothing. With keepPrev it
// first saves old as path.prev, the one backup of the previous generation.
func change(ctx context.Context, path string, st *schedule.State, old []byte, keepPrev bool, fn func(*schedule.State) error) ([]byte, error) {
	if err := fn(st); err != nil {
		return nil, err
	}
	b, err := schedule.EncodeState(st)
	if err != nil || bytes.Equal(b, old) {
		return nil, err
	}
	if keepPrev && old != nil {
		if err := blob.WriteAtomic(ctx, path+".prev", old); err != nil {
			return nil, fmt.Errorf("update %s: keep the previous generation: %w", path, err)
		}
	}
	return b, nil
}
