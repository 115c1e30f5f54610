package launch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/rlcurate/rlcurate/internal/blob"
)

// LockFile is the file under a local output prefix that a running job holds locked.
const LockFile = ".rlcurate.lock"

// ErrOutputBusy means another run is writing to the same output prefix.
var ErrOutputBusy = errors.New("another rlcurate run is writing to this output")

// LockOutput takes an exclusive lock on a local output prefix for the life of the job, so
// that two runs into one PREFIX cannot remove each other's shards at publish: the second
// fails at once with ErrOutputBusy. The kernel releases the lock when the process ends, so
// a run killed with SIGKILL leaves no stale lock. gs:// prefixes are not locked (see
// docs/outputs.md). The returned function releases the lock.
func LockOutput(prefix string) (release func(), err error) {
	if blob.IsGCS(prefix) {
		return func() {}, nil
	}
	if err := os.MkdirAll(prefix, 0o755); err != nil {
		return nil, fmt.Errorf("--output %s: %w", prefix, err)
	}
	path := filepath.Join(prefix, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("--output %s: %w", prefix, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("--output %s: %w (it holds %s); run one job per output prefix at a time", prefix, ErrOutputBusy, path)
		}
		return nil, fmt.Errorf("--output %s: lock: %w", prefix, err)
	}
	return func() { f.Close() }, nil
}
