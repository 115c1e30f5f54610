package rewards

import "errors"

var (
	// ErrNoAnswer means a completion lacks exactly one <answer> followed by exactly one </answer>.
	ErrNoAnswer = errors.New("no single <answer>...</answer> in completion")
	// ErrBadAnswer means an answer item is not "start-end" with 0 <= start < end.
	ErrBadAnswer = errors.New("answer item is not a start-end segment with 0 <= start < end")
	// ErrBadSolution means a ground-truth solution cannot be scored (Strict mode
	// and row decoding): empty, not pairs of numbers, negative or not finite.
	ErrBadSolution = errors.New("bad ground-truth solution")
	// ErrReversedSolution means a ground-truth segment has start > end (Strict mode).
	ErrReversedSolution = errors.New("reversed ground-truth segment")
	// ErrBadRow means an input row cannot be scored (not JSON, no completion, ...).
	ErrBadRow = errors.New("row cannot be scored")
)
