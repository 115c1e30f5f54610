package launch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"

	"github.com/rlcurate/rlcurate/internal/layout"
)

// The runner's exit codes.
const (
	ExitOK          = 0 // the job did its job
	ExitUsage       = 1 // usage or preflight error: nothing was started
	ExitFailed      = 2 // the job failed
	ExitUnfulfilled = 3 // the job finished and published its outputs but did not do its job
)

// DefaultMaxDeadLetterFraction is the default of --max-dead-letter-fraction.
const DefaultMaxDeadLetterFraction = 0.5

// ExitError is an error with the exit code the runner ends with.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// WithCode marks err with an exit code; nil stays nil.
func WithCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &ExitError{Code: code, Err: err}
}

// started is set once a job has started (Run was called): errors after that are the
// job's failures (exit 2), errors before it are usage or preflight errors (exit 1).
var started atomic.Bool

// MarkStarted records that the command has started its work: later unmarked errors
// exit with ExitFailed. Run calls it; commands without a pipeline may call it too.
func MarkStarted() { started.Store(true) }

// ExitCode returns the code the runner exits with after err: 0 for nil, the code of an
// ExitError, else ExitFailed once a job started and ExitUsage before.
func ExitCode(err error) int {
	var e *ExitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &e):
		return e.Code
	case started.Load():
		return ExitFailed
	}
	return ExitUsage
}

// Verdict judges a published job by its manifest: an error with ExitUnfulfilled when it
// wrote nothing from a non-empty input, or dead-lettered more than maxDead of what it
// read; nil when it did its job. reasons gives the dead letters' reasons, most common
// first (TopReasons), of which the first three are named; it is called (reading the dead
// letters) only when the job failed.
func Verdict(m layout.Manifest, maxDead float64, reasons func() []string) error {
	read, written, dead := m.Counts[layout.CountRead], m.Counts[layout.CountWritten], m.Counts[layout.CountDeadLettered]
	var why string
	switch {
	case read > 0 && written == 0:
		why = fmt.Sprintf("nothing written from %d records read", read)
	case read > 0 && float64(dead)/float64(read) > maxDead:
		why = fmt.Sprintf("%d of %d records dead-lettered (%.0f%%), above --max-dead-letter-fraction %g",
			dead, read, 100*float64(dead)/float64(read), maxDead)
	default:
		return nil
	}
	msg := m.Job + " did not do its job: " + why
	if dead > 0 {
		msg += fmt.Sprintf(" (%d dead-lettered)", dead)
	}
	top := reasons()
	for _, r := range top[:min(len(top), 3)] {
		msg += "\n  " + r
	}
	return WithCode(ExitUnfulfilled, errors.New(msg))
}

// TopReasons returns the dead letters' reasons of the published job with their counts,
// most common first, as "N × stage: reason" lines (at most n, each cut to 200 bytes).
func TopReasons(ctx context.Context, prefix string, m layout.Manifest, n int) []string {
	if m.Counts[layout.CountDeadLettered] == 0 {
		return nil
	}
	run, err := RunInfo(ctx, prefix, m)
	if err != nil {
		return []string{"(dead letters unreadable: " + err.Error() + ")"}
	}
	var out []string
	for _, r := range run.DeadLetters {
		if len(out) == n {
			break
		}
		line := fmt.Sprintf("%d × %s", r.Count, r.Reason)
		if len(line) > 200 {
			line = line[:200] + "…"
		}
		out = append(out, line)
	}
	return out
}

// Red wraps s in ANSI red when f is a terminal, else returns it as it is.
func Red(f *os.File, s string) string {
	if !IsTerminal(f) || os.Getenv("NO_COLOR") != "" {
		return s
	}
	return "\x1b[31m" + strings.TrimRight(s, "\n") + "\x1b[0m" + s[len(strings.TrimRight(s, "\n")):]
}

// IsTerminal reports whether f is a terminal (a character device).
func IsTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
