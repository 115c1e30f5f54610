package annotations

import (
	"errors"
	"fmt"
)

// ErrMalformed is wrapped by every parse error caused by the annotation text
// itself (as opposed to I/O errors); test with errors.Is.
var ErrMalformed = errors.New("malformed annotation")

// ErrEmptyInput is returned when an annotation file holds no data at all.
var ErrEmptyInput = errors.New("empty annotation input")

// ParseError reports an annotation that could not be parsed, with where it was.
type ParseError struct {
	Format Format
	Loc    Location
	Msg    string
	Err    error // underlying error, may be nil
}

// Error formats the error as "<format> <location>: <msg>: <err>".
func (e *ParseError) Error() string {
	s := fmt.Sprintf("%s %s: %s", e.Format, e.Loc, e.Msg)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns ErrMalformed and the underlying error, so errors.Is works on both.
func (e *ParseError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrMalformed}
	}
	return []error{ErrMalformed, e.Err}
}

func malformed(f Format, loc Location, err error, format string, args ...any) error {
	return &ParseError{Format: f, Loc: loc, Msg: fmt.Sprintf(format, args...), Err: err}
}

// Filter reasons: the names a Filtered carries, usable as counter names.
const (
	// FilterBlankLine marks an empty or whitespace-only line.
	FilterBlankLine = "blank_line"
	// FilterNonGroundingTask marks an E.T. Instruct element whose task is not tvg or tal.
	FilterNonGroundingTask = "non_grounding_task"
)

// Filtered is returned by a parser for input that is well formed but is not a
// grounding sample (a blank line, an E.T. Instruct captioning task). It is not
// a failure: callers count it as filtered rather than dead-lettering it.
// Test with errors.As or IsFiltered.
type Filtered struct {
	Reason string // one of the Filter* constants
	Detail string // human-readable detail, e.g. the task name
	Loc    Location
}

// Error formats the filter as "filtered <reason> at <location>: <detail>".
func (f *Filtered) Error() string {
	s := fmt.Sprintf("filtered %s at %s", f.Reason, f.Loc)
	if f.Detail != "" {
		s += ": " + f.Detail
	}
	return s
}

// IsFiltered reports whether err is (or wraps) a *Filtered, returning it.
func IsFiltered(err error) (*Filtered, bool) {
	var f *Filtered
	if errors.As(err, &f) {
		return f, true
	}
	return nil, false
}

var errNonFinite = errors.New("not a finite number")
