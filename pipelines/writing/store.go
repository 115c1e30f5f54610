package writing

import (
	"context"
	"fmt"
	"strings"
	"time"

	"cloud.google.com/go/storage"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/schedule"
)

// OpenStore returns the schedule store at path: a schedule.GCSStore for gs://bucket/object
// (the client honours STORAGE_EMULATOR_HOST), else a schedule.FileStore. The returned
// close function releases the GCS client.
func OpenStore(ctx context.Context, path string) (schedule.Store, func(), error) {
	if path == "" {
		return nil, nil, fmt.Errorf("no schedule path")
	}
	if !blob.IsGCS(path) {
		return &schedule.FileStore{Path: path}, func() {}, nil
	}
	bucket, object, ok := strings.Cut(strings.TrimPrefix(path, "gs://"), "/")
	if !ok || bucket == "" || object == "" {
		return nil, nil, fmt.Errorf("schedule %s: want gs://bucket/object", path)
	}
	c, err := storage.NewClient(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("schedule %s: %w", path, err)
	}
	return &schedule.GCSStore{Client: c, Bucket: bucket, Object: object}, func() { c.Close() }, nil
}

// LoadState reads the schedule state at path (an empty state if there is none yet).
func LoadState(ctx context.Context, path string) (*schedule.State, error) {
	st, closeFn, err := OpenStore(ctx, path)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	return st.Load(ctx)
}

// nowUTC is the time recorded in schedule moves.
func nowUTC() time.Time { return time.Now().UTC() }
