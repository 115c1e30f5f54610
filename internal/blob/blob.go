// Package blob is rlcurate's one I/O seam: it reads, writes, lists, renames and removes
// files on the local disk and on Google Cloud Storage (gs://bucket/object) through Beam's
// filesystem registry, so every job, cache and store sees the same paths.
//
// GCS access honours STORAGE_EMULATOR_HOST, which the tests point at fake-gcs-server.
package blob

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"   // registers gs://
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // registers local paths
)

var (
	mu      sync.Mutex
	systems = map[string]filesystem.Interface{}
)

// system returns the filesystem for p's scheme, creating it once per scheme and GCS
// endpoint: a GCS filesystem holds a client with its own connection pool, too costly to
// build per call, and bound to the STORAGE_EMULATOR_HOST it was created under.
func system(ctx context.Context, p string) (filesystem.Interface, error) {
	scheme := "default"
	if i := strings.Index(p, "://"); i > 0 {
		scheme = p[:i]
	}
	key := scheme + "|" + os.Getenv("STORAGE_EMULATOR_HOST")
	mu.Lock()
	defer mu.Unlock()
	if f, ok := systems[key]; ok {
		return f, nil
	}
	f, err := filesystem.New(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("no filesystem for %s: %w", p, err)
	}
	systems[key] = f
	return f, nil
}

// IsGCS reports whether p names a Google Cloud Storage object or prefix.
func IsGCS(p string) bool { return strings.HasPrefix(p, "gs://") }

// Join joins a prefix and path elements with slashes for gs:// and the OS separator
// for local paths.
func Join(prefix string, elem ...string) string {
	if IsGCS(prefix) {
		return strings.TrimSuffix(prefix, "/") + "/" + path.Join(elem...)
	}
	return filepath.Join(append([]string{prefix}, elem...)...)
}

// Open opens p for reading. A missing file or gs:// object gives an error wrapping
// fs.ErrNotExist.
func Open(ctx context.Context, p string) (io.ReadCloser, error) {
	f, err := system(ctx, p)
	if err != nil {
		return nil, err
	}
	r, err := f.OpenRead(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p, notExist(err))
	}
	return r, nil
}

// Create opens p for writing, creating parent directories of local paths. The data is
// visible under p only once Close returns nil; for an all-or-nothing write under a final
// name use WriteAtomic or write to a temporary name and Rename.
func Create(ctx context.Context, p string) (io.WriteCloser, error) {
	f, err := system(ctx, p)
	if err != nil {
		return nil, err
	}
	w, err := f.OpenWrite(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", p, err)
	}
	return w, nil
}

// List returns the paths matching glob, sorted. A glob without wildcards that names a
// missing file returns an empty list.
func List(ctx context.Context, glob string) ([]string, error) {
	f, err := system(ctx, glob)
	if err != nil {
		return nil, err
	}
	files, err := f.List(ctx, glob)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", glob, err)
	}
	return files, nil
}

// Exists reports whether the file p exists.
func Exists(ctx context.Context, p string) (bool, error) {
	f, err := system(ctx, p)
	if err != nil {
		return false, err
	}
	if _, err := f.Size(ctx, p); err != nil {
		if isNotExist(err) {
			return false, nil
		}
		return false, fmt.Errorf("stat %s: %w", p, err)
	}
	return true, nil
}

// Rename moves from to to, replacing to; a local rename is synced to disk. On GCS it is a copy then a delete, so readers
// of to see either the old object or the whole new one.
func Rename(ctx context.Context, from, to string) error {
	f, err := system(ctx, from)
	if err != nil {
		return err
	}
	r, ok := f.(filesystem.Renamer)
	if !ok {
		return fmt.Errorf("rename %s: filesystem cannot rename", from)
	}
	if !IsGCS(to) {
		if err := mkdirAll(filepath.Dir(to)); err != nil {
			return err
		}
	}
	if err := r.Rename(ctx, from, to); err != nil {
		return fmt.Errorf("rename %s to %s: %w", from, to, err)
	}
	if !IsGCS(to) {
		syncDir(filepath.Dir(to))
	}
	return nil
}

// Remove deletes p. Removing a missing file is not an error.
func Remove(ctx context.Context, p string) error {
	f, err := system(ctx, p)
	if err != nil {
		return err
	}
	r, ok := f.(filesystem.Remover)
	if !ok {
		return fmt.Errorf("remove %s: filesystem cannot remove", p)
	}
	if err := r.Remove(ctx, p); err != nil && !isNotExist(err) {
		return fmt.Errorf("remove %s: %w", p, err)
	}
	return nil
}

// Size returns the size of the file p in bytes.
func Size(ctx context.Context, p string) (int64, error) {
	f, err := system(ctx, p)
	if err != nil {
		return 0, err
	}
	n, err := f.Size(ctx, p)
	if err != nil {
		return 0, fmt.Errorf("stat %s: %w", p, err)
	}
	return n, nil
}
