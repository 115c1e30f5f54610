package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/schedule"
)

// File keeps the state in one local JSON file. Updates hold an exclusive flock on
// Path+".lock" (so separate processes and separate File values exclude each other), read
// the state only once the lock is held, and replace the file with blob.WriteAtomic (a
// synced temporary file renamed over Path), so a reader never sees half a file. With
// KeepPrev, the generation an update replaces is first written (atomically too) to
// Path+".prev". A bad state (schedule.ErrBadState) is refused and left as it is.
type File struct {
	Path string
	// KeepPrev keeps the replaced generation as Path+".prev" (one backup).
	KeepPrev bool
}

// Load reads the state without locking (the rename makes every read whole).
func (f *File) Load(ctx context.Context) (*schedule.State, error) {
	st, _, err := f.read()
	return st, err
}

// read returns the state and the bytes it was decoded from (nil for a missing file,
// which is a fresh state).
func (f *File) read() (*schedule.State, []byte, error) {
	b, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return schedule.NewState(), nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", f.Path, err)
	}
	st, err := schedule.DecodeState(b)
	if err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", f.Path, err)
	}
	return st, b, nil
}

// Update locks, then reads, applies fn and atomically rewrites the file (keeping the
// replaced generation as Path+".prev" with KeepPrev). An update that changes nothing
// writes nothing.
func (f *File) Update(ctx context.Context, fn func(*schedule.State) error) error {
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
	st, old, err := f.read()
	if err != nil {
		return err
	}
	b, err := change(ctx, f.Path, st, old, f.KeepPrev, fn)
	if err != nil || b == nil {
		return err
	}
	return blob.WriteAtomic(ctx, f.Path, b)
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
