package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"cloud.google.com/go/storage"
	"github.com/google/uuid"
)

// ReadFile reads the whole file p. A missing file or gs:// object gives an error wrapping
// fs.ErrNotExist.
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
// renames it, so a reader never sees a partial file under p. A local write is also
// durable: the temporary file is synced before the rename and the folder after it, so
// after a crash p holds either the old or the whole new content.
func WriteAtomic(ctx context.Context, p string, data []byte) error {
	if !IsGCS(p) {
		return writeLocalAtomic(p, data)
	}
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

// writeLocalAtomic writes data to a temporary file beside the local path p, syncs it,
// renames it over p and syncs the folder.
func writeLocalAtomic(p string, data []byte) error {
	if err := mkdirAll(filepath.Dir(p)); err != nil {
		return err
	}
	tmp := TempName(p)
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	defer os.Remove(tmp) // a no-op after the rename
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	syncDir(filepath.Dir(p))
	return nil
}

// syncDir flushes a local folder's entries (a rename in it) to disk. It is best effort:
// some filesystems cannot sync a folder, and the rename has happened either way.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
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

// notExist makes a missing gs:// object's error wrap fs.ErrNotExist too, as a missing
// local file's does, so callers test one error for both.
func notExist(err error) error {
	if errors.Is(err, storage.ErrObjectNotExist) && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w (%w)", fs.ErrNotExist, err)
	}
	return err
}

func mkdirAll(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create folder %s: %w", dir, err)
	}
	return nil
}
