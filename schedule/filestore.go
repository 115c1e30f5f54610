package schedule

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// FileStore keeps the state in one local JSON file. Updates hold an exclusive
// flock on Path+".lock" (so separate processes and separate FileStore values
// exclude each other) and replace the file by writing a temporary file in the
// same directory, syncing it and renaming it over Path, so a reader never sees
// half a file.
type FileStore struct {
	Path string
}

// Load reads the state without locking (the rename makes every read whole).
func (f *FileStore) Load(ctx context.Context) (*State, error) {
	b, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return NewState(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", f.Path, err)
	}
	st, err := decodeState(b)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", f.Path, err)
	}
	return st, nil
}

// Update locks, reads, applies fn and atomically rewrites the file.
func (f *FileStore) Update(ctx context.Context, fn func(*State) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	lock, err := os.OpenFile(f.Path+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return fmt.Errorf("update %s: %w", f.Path, err)
	}
	defer lock.Close()
	if err := flock(lock); err != nil {
		return fmt.Errorf("update %s: lock: %w", f.Path, err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	st, err := f.Load(ctx)
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
	return writeAtomic(f.Path, b)
}

// flock takes an exclusive lock, retrying when a signal interrupts the wait.
func flock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// writeAtomic writes b to a temporary file beside path, syncs it and renames it
// over path, then syncs the directory.
func writeAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
