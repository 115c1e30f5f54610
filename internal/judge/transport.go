package judge

import (
	"context"
	"net/http"
)

// attemptInfo records what the transport saw for one attempt: the HTTP
// status and the Retry-After header (go-openai's errors carry neither header).
type attemptInfo struct {
	status     int
	retryAfter string
}

type attemptKey struct{}

// withAttempt returns a context that lets the transport fill info.
func withAttempt(ctx context.Context, info *attemptInfo) context.Context {
	return context.WithValue(ctx, attemptKey{}, info)
}

// recordingDoer wraps an *http.Client and records each response's status and
// Retry-After into the request's attemptInfo.
type recordingDoer struct{ c *http.Client }

// Do sends req and records the response headers the retry loop needs.
func (d recordingDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.c.Do(req)
	if info, ok := req.Context().Value(attemptKey{}).(*attemptInfo); ok && resp != nil {
		info.status = resp.StatusCode
		info.retryAfter = resp.Header.Get("Retry-After")
	}
	return resp, err
}

// newHTTPClient returns an HTTP client whose connection pool keeps enough
// idle connections for conc concurrent calls (the default keeps 2 per host,
// which makes high concurrency churn connections).
func newHTTPClient(conc int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = max(100, conc*2)
	tr.MaxIdleConnsPerHost = max(2, conc)
	return &http.Client{Transport: tr}
}
