package writing

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"cloud.google.com/go/storage"
	"github.com/rlcurate/rlcurate/internal/blob"
)

// blobFiles adapts package blob to judge.Files.
type blobFiles struct{}

// ReadFile reads p; a missing file or object is reported as fs.ErrNotExist.
func (blobFiles) ReadFile(ctx context.Context, p string) ([]byte, error) {
	b, err := blob.ReadFile(ctx, p)
	if err != nil && (errors.Is(err, storage.ErrObjectNotExist) || errors.Is(err, fs.ErrNotExist)) {
		return nil, fmt.Errorf("%s: %w", p, fs.ErrNotExist)
	}
	return b, err
}

// WriteAtomic writes p all or nothing.
func (blobFiles) WriteAtomic(ctx context.Context, p string, data []byte) error {
	return blob.WriteAtomic(ctx, p, data)
}
