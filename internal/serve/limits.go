package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// readRequest reads and decodes a /get_reward body before the request takes a
// concurrency slot, so that a client that sends its body slowly holds no slot.
//
// A body whose declared length is over Config.MaxBodyBytes is refused with 413 before
// it is read; a body without a declared length (chunked) is cut off at the cap with 413.
// Twice the body's length (its bytes, then its decoded copy; the cap for a body of
// unknown length) is reserved against Config.MaxBodyBytesInFlight until release is
// called, when the request is answered:
// a request that cannot reserve them within Config.BodyWait gets 503 with Retry-After.
// The body must arrive within Config.ReadTimeout (408 otherwise). It is read into one
// buffer of its declared length and decoded from it once; the buffer is dropped before
// the request is scored.
func (s *Server) readRequest(w http.ResponseWriter, r *http.Request) (req *Request, release func(), err error) {
	defer func() {
		if err != nil {
			// The body may be partly unread: close the connection after the answer
			// rather than read the rest of it.
			w.Header().Set("Connection", "close")
		}
	}()
	n := r.ContentLength
	if n > s.cfg.MaxBodyBytes {
		return nil, nil, tooLarge("body of %d bytes is too large (over --max-body-bytes %d)", n, s.cfg.MaxBodyBytes)
	}
	rc := http.NewResponseController(w)
	// The deadline is lifted once the body is read: left in place, it would cancel the
	// request's context (the server's background read times out) while it is judged.
	if rc.SetReadDeadline(time.Now().Add(s.cfg.ReadTimeout)) == nil {
		defer rc.SetReadDeadline(time.Time{})
	}
	// A body is held twice while it is decoded (its bytes and the decoded strings), and
	// the decoded copy lives until the answer: it reserves twice its length.
	weight := 2 * n
	if n < 0 {
		weight = 2 * s.cfg.MaxBodyBytes
	}
	weight = min(weight, s.cfg.MaxBodyBytesInFlight)
	if weight > 0 {
		wctx, cancel := context.WithTimeout(r.Context(), s.cfg.BodyWait)
		err := s.bodies.Acquire(wctx, weight)
		cancel()
		if err != nil {
			return nil, nil, unavailable("busy", "request bodies in flight are at --max-body-bytes-in-flight (%d bytes); retry later", s.cfg.MaxBodyBytesInFlight)
		}
	}
	free := func() {
		if weight > 0 {
			s.bodies.Release(weight)
		}
	}
	defer func() {
		if err != nil {
			free()
		}
	}()
	req, err = decodeBody(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes), n)
	if err != nil {
		var tooBig *http.MaxBytesError
		var ne net.Error
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			return nil, nil, tooLarge("body is too large (over --max-body-bytes %d)", s.cfg.MaxBodyBytes)
		case errors.As(err, &ne) && ne.Timeout():
			return nil, nil, &Error{Status: http.StatusRequestTimeout, Kind: "bad_request", Reason: "body not received within --read-timeout " + s.cfg.ReadTimeout.String()}
		case errors.As(err, &syntax), errors.As(err, &typ):
			return nil, nil, badRequest("body is not a reward request: %v", err)
		}
		return nil, nil, badRequest("reading body: %v", err)
	}
	return req, free, nil
}

// decodeBody reads r (n bytes, or an unknown length when n < 0) into one buffer and
// decodes it once; the buffer, the only copy of the body, is garbage when it returns.
func decodeBody(r io.Reader, n int64) (*Request, error) {
	body, err := readBody(r, n)
	if err != nil {
		return nil, err
	}
	req := new(Request)
	if err := json.Unmarshal(body, req); err != nil {
		return nil, err
	}
	return req, nil
}

// readBody reads all of r: into one buffer of length n when n is known, else growing.
func readBody(r io.Reader, n int64) ([]byte, error) {
	if n >= 0 {
		buf := make([]byte, n)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		return buf, nil
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(r); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func tooLarge(format string, a ...any) *Error {
	e := badRequest(format, a...)
	e.Status = http.StatusRequestEntityTooLarge
	return e
}

// authorized reports whether r carries the token, as "Authorization: Bearer TOKEN" or
// as the query parameter token (for clients that cannot set headers). Both candidates
// are compared in constant time through their SHA-256.
func (s *Server) authorized(r *http.Request) bool {
	ok := 0
	if h := r.Header.Get("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		got := sha256.Sum256([]byte(strings.TrimSpace(h[7:])))
		ok |= subtle.ConstantTimeCompare(got[:], s.token[:])
	}
	if q := r.URL.Query(); q.Has("token") {
		got := sha256.Sum256([]byte(q.Get("token")))
		ok |= subtle.ConstantTimeCompare(got[:], s.token[:])
	}
	return ok == 1
}
