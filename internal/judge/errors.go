package judge

import (
	"errors"
	"fmt"
	"net/http"
)

// ErrBadReply is matched (errors.Is) by every ReplyError: the judge answered
// but the answer is unusable (no score, score out of range, empty text).
var ErrBadReply = errors.New("judge: unusable reply")

// CallError reports a request that still failed after Attempts attempts, or
// failed at once with a non-retryable error (Retryable false). Last is the
// last attempt's error with any API key redacted. Callers dead-letter it.
type CallError struct {
	// Attempts is how many HTTP attempts were made (at least 1).
	Attempts int
	// StatusCode is the last HTTP status seen, 0 if none (network error, timeout).
	StatusCode int
	// Retryable reports whether the last error was of a retryable kind, that
	// is whether the attempts were exhausted rather than refused outright.
	Retryable bool
	// Last is the last attempt's error.
	Last error
}

// Error describes the failure with its attempt count and last error.
func (e *CallError) Error() string {
	kind := "non-retryable"
	if e.Retryable {
		kind = "attempts exhausted"
	}
	return fmt.Sprintf("judge call failed (%s) after %d attempt(s), last status %d: %v",
		kind, e.Attempts, e.StatusCode, e.Last)
}

// Unwrap returns the last error.
func (e *CallError) Unwrap() error { return e.Last }

// ErrUnauthorized is matched (errors.Is) by the error of a call that the endpoint
// refused with 401 or 403, and of every later call of the same client (which are then
// not sent): the API key or the endpoint is wrong, and no retry will help.
var ErrUnauthorized = errors.New("judge endpoint refused the API key (HTTP 401/403)")

// Unauthorized reports a 401 or 403.
func (e *CallError) Unauthorized() bool {
	return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
}

// Is makes errors.Is(err, ErrUnauthorized) true for a 401 or 403.
func (e *CallError) Is(target error) bool { return target == ErrUnauthorized && e.Unauthorized() }

// ReplyError reports a reply that could not be used. Reply holds the reply
// text (truncated to 2000 bytes) for the dead-letter record.
type ReplyError struct {
	Reason string
	Reply  string
}

// Error describes why the reply was rejected.
func (e *ReplyError) Error() string {
	return fmt.Sprintf("judge reply unusable: %s", e.Reason)
}

// Is makes errors.Is(err, ErrBadReply) true for every ReplyError.
func (e *ReplyError) Is(target error) bool { return target == ErrBadReply }

func newReplyError(reason, reply string) *ReplyError {
	const maxReply = 2000
	if len(reply) > maxReply {
		reply = reply[:maxReply]
	}
	return &ReplyError{Reason: reason, Reply: reply}
}
