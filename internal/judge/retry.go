package judge

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// errMalformed marks a 2xx response whose body is not a usable completion.
var errMalformed = errors.New("malformed completion response")

// retryableStatus reports whether an HTTP status is worth retrying:
// 408 (request timeout), 409 (conflict), 429 (rate limited) and every 5xx.
func retryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusConflict ||
		code == http.StatusTooManyRequests || code >= 500
}

// retryable classifies an attempt's error. status is the HTTP status seen
// (0 if none). The caller has already checked that its own context is live,
// so a deadline here is the per-attempt timeout.
func retryable(err error, status int) bool {
	if status >= 400 {
		return retryableStatus(status)
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, errMalformed),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return true
	}
	// A 2xx whose JSON did not decode surfaces from go-openai as a plain
	// decoding error: treat a garbled body as transient. Errors without any
	// response (request validation by go-openai) are not retried.
	return status >= 200 && status < 300
}

// parseRetryAfter reads a Retry-After header value, in delay-seconds or
// HTTP-date form, as a duration from now. ok is false for an empty or
// unparseable value; a date in the past gives 0.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// backoff returns the wait before attempt number attempt+1 (attempt counts
// from 1): base * 2^(attempt-1) capped at maxWait, with "equal jitter" (a
// uniformly random point in the upper half), so waits never collapse to 0.
func backoff(attempt int, base, maxWait time.Duration) time.Duration {
	d := base
	for i := 1; i < attempt && d < maxWait; i++ {
		d *= 2
	}
	d = min(d, maxWait)
	if d <= 0 {
		return 0
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(d-half)+1))
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
