package judge

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// Files is the storage a BlobCache keeps its values in: rlcurate's blob package (local
// paths and gs://) through a small adapter, so that this package stays free of Beam.
// ReadFile must return an error matching fs.ErrNotExist for a missing file; WriteAtomic
// must make the data visible all at once.
type Files interface {
	ReadFile(ctx context.Context, path string) ([]byte, error)
	WriteAtomic(ctx context.Context, path string, data []byte) error
}

// BlobCache is a CacheStore under a prefix of a Files store, for example a gs:// bucket
// shared by every worker of a job. A key's value lives in <prefix>/<first two hex
// digits>/<key>.json, the layout of DirCache, so a folder filled by one can be copied to
// the other.
type BlobCache struct {
	prefix string
	files  Files
}

// NewBlobCache returns a BlobCache under prefix (e.g. "gs://bucket/judge-cache").
func NewBlobCache(prefix string, files Files) *BlobCache {
	return &BlobCache{prefix: strings.TrimSuffix(prefix, "/"), files: files}
}

// path returns the object for key; keys must be lowercase hex of 8..128 digits (what
// CacheKey returns), which also rules out path traversal.
func (c *BlobCache) path(key string) (string, error) {
	if len(key) < 8 || len(key) > 128 {
		return "", fmt.Errorf("blob cache: bad key length %d", len(key))
	}
	for _, r := range key {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return "", fmt.Errorf("blob cache: key %q is not lowercase hex", key)
		}
	}
	return c.prefix + "/" + key[:2] + "/" + key + ".json", nil
}

// Get returns the value stored under key; found is false if there is none.
func (c *BlobCache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	p, err := c.path(key)
	if err != nil {
		return nil, false, err
	}
	b, err := c.files.ReadFile(ctx, p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("blob cache get: %w", err)
	}
	return b, true, nil
}

// Put stores val under key with one atomic write.
func (c *BlobCache) Put(ctx context.Context, key string, val []byte) error {
	p, err := c.path(key)
	if err != nil {
		return err
	}
	if err := c.files.WriteAtomic(ctx, p, val); err != nil {
		return fmt.Errorf("blob cache put %s: %w", key, err)
	}
	return nil
}
