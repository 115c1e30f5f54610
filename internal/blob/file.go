package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"cloud.google.com/go/storage"
	"github.com/google/uuid"
)

// ReadFile reads the whole file p.
func ReadFile(ctx context.Context, p string) ([]byte, error) {
	r, err := Open(ctx, p)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return b, nil
}

// WriteAtomic writes data to p all or nothing: it writes a temporary file beside p and
// renames it, so a reader never sees a partial file under p.
func WriteAtomic(ctx context.Context, p string, data []byte) error {
	tmp := TempName(p)
	w, err := Create(ctx, tmp)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		w.Close()
		Remove(ctx, tmp)
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := w.Close(); err != nil {
		Remove(ctx, tmp)
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	return Rename(ctx, tmp, p)
}

// TempName returns a unique temporary name in p's folder. Its base name starts with
// ".tmp-", which readers of output folders skip.
func TempName(p string) string {
	i := strings.LastIndexAny(p, "/"+string(os.PathSeparator))
	return p[:i+1] + ".tmp-" + uuid.NewString() + "-" + p[i+1:]
}

// IsTemp reports whether p's base name is a temporary name made by TempName.
func IsTemp(p string) bool {
	i := strings.LastIndexAny(p, "/"+string(os.PathSeparator))
	return strings.HasPrefix(p[i+1:], ".tmp-")
}

func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, storage.ErrObjectNotExist)
}

func mkdirAll(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create folder %s: %w", dir, err)
	}
	return nil
}
