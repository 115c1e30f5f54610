package judge

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// PreflightTimeout bounds Preflight.
const PreflightTimeout = 5 * time.Second

// ErrPreflight is matched (errors.Is) by every error Preflight returns.
var ErrPreflight = errors.New("judge preflight failed")

// PreflightError is a failed preflight: one line that names the flag to fix.
type PreflightError struct {
	URL    string
	Status int   // 401 or 403; 0 when the endpoint did not answer
	Err    error // the transport error when it did not answer
}

// Error is one line naming --judge-base-url and the API key variables.
func (e *PreflightError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("judge preflight: GET %s answered %d %s: the judge refuses the API key; check %s and --judge-base-url",
			e.URL, e.Status, http.StatusText(e.Status), strings.Join(APIKeyEnvVars, " or "))
	}
	return fmt.Sprintf("judge preflight: GET %s: no answer (%v); check --judge-base-url", e.URL, e.Err)
}

// Is makes errors.Is(err, ErrPreflight) true, and errors.Is(err, ErrUnauthorized) for a
// 401 or 403.
func (e *PreflightError) Is(target error) bool {
	return target == ErrPreflight || target == ErrUnauthorized && e.Status != 0
}

// Preflight checks, before a job starts, that the judge endpoint of c accepts the API
// key: it sends GET {base}/models with the key (KeyFromEnv), within PreflightTimeout. A
// 401 or 403, or no answer at all (connection refused, timeout), is a *PreflightError;
// any other answer passes (a 404 from servers that do not list models too). It never
// asks for a completion, so a rerun over a warm cache still makes no judge call. The
// heuristic judge needs no check.
func Preflight(ctx context.Context, c Config) error {
	if c.Kind != "openai" {
		return nil
	}
	key, _ := KeyFromEnv()
	return preflight(ctx, http.DefaultClient, c.BaseURL, key)
}

func preflight(ctx context.Context, hc *http.Client, baseURL, key string) error {
	url := strings.TrimRight(baseURL, "/") + "/models"
	ctx, cancel := context.WithTimeout(ctx, PreflightTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return &PreflightError{URL: url, Err: err}
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return &PreflightError{URL: url, Err: redact(err, key)}
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return &PreflightError{URL: url, Status: resp.StatusCode}
	}
	return nil
}
