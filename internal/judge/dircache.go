package judge

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// DirCache is a CacheStore in a local directory. A key's value lives in
// <root>/<first two hex digits>/<key>.json; writes go to a temporary file in
// the same directory and are renamed into place, so a reader never sees a
// partial value and concurrent writers of one key are harmless.
type DirCache struct {
	root string
}

// NewDirCache returns a DirCache rooted at root, creating the directory.
func NewDirCache(root string) (*DirCache, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("dir cache %s: %w", root, err)
	}
	return &DirCache{root: root}, nil
}

// path returns the file for key; keys must be lowercase hex of 8..128 digits
// (what CacheKey returns), which also rules out path traversal.
func (c *DirCache) path(key string) (string, error) {
	if len(key) < 8 || len(key) > 128 {
		return "", fmt.Errorf("dir cache: bad key length %d", len(key))
	}
	for _, r := range key {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return "", fmt.Errorf("dir cache: key %q is not lowercase hex", key)
		}
	}
	return filepath.Join(c.root, key[:2], key+".json"), nil
}

// Get returns the value stored under key; found is false if there is none.
func (c *DirCache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	p, err := c.path(key)
	if err != nil {
		return nil, false, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("dir cache get: %w", err)
	}
	return b, true, nil
}

// Put stores val under key atomically (temporary file, then rename).
func (c *DirCache) Put(ctx context.Context, key string, val []byte) error {
	p, err := c.path(key)
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("dir cache put: %w", err)
	}
	f, err := os.CreateTemp(dir, ".tmp-"+key[:8]+"-*")
	if err != nil {
		return fmt.Errorf("dir cache put: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(val)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp)
		return fmt.Errorf("dir cache put %s: %w", key, errors.Join(werr, cerr))
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("dir cache put %s: %w", key, err)
	}
	return nil
}
