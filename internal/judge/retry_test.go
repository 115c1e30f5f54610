package judge

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		value  string
		want   time.Duration
		wantOK bool
	}{
		{name: "seconds", value: "3", want: 3 * time.Second, wantOK: true},
		{name: "fractional seconds", value: "0.5", want: 500 * time.Millisecond, wantOK: true},
		{name: "zero", value: "0", want: 0, wantOK: true},
		{name: "spaces", value: " 2 ", want: 2 * time.Second, wantOK: true},
		{name: "http date", value: "Sun, 01 Jun 2025 12:00:07 GMT", want: 7 * time.Second, wantOK: true},
		{name: "http date in the past", value: "Sun, 01 Jun 2025 11:59:00 GMT", want: 0, wantOK: true},
		{name: "empty", value: "", wantOK: false},
		{name: "negative", value: "-1", wantOK: false},
		{name: "garbage", value: "soon", wantOK: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseRetryAfter(tc.value, now)
			if ok != tc.wantOK || got != tc.want {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.value, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestBackoffBounds(t *testing.T) {
	base, maxWait := 100*time.Millisecond, time.Second
	tests := []struct {
		name    string
		attempt int
		ceiling time.Duration // base * 2^(attempt-1), capped
	}{
		{name: "first", attempt: 1, ceiling: 100 * time.Millisecond},
		{name: "second", attempt: 2, ceiling: 200 * time.Millisecond},
		{name: "fourth", attempt: 4, ceiling: 800 * time.Millisecond},
		{name: "capped", attempt: 9, ceiling: time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for range 200 {
				d := backoff(tc.attempt, base, maxWait)
				if d < tc.ceiling/2 || d > tc.ceiling {
					t.Fatalf("backoff(%d) = %v, want within [%v, %v]", tc.attempt, d, tc.ceiling/2, tc.ceiling)
				}
			}
		})
	}
}

func TestRetryableStatus(t *testing.T) {
	tests := []struct {
		name string
		code int
		want bool
	}{
		{name: "bad request", code: http.StatusBadRequest, want: false},
		{name: "unauthorized", code: http.StatusUnauthorized, want: false},
		{name: "forbidden", code: http.StatusForbidden, want: false},
		{name: "not found", code: http.StatusNotFound, want: false},
		{name: "unprocessable", code: http.StatusUnprocessableEntity, want: false},
		{name: "request timeout", code: http.StatusRequestTimeout, want: true},
		{name: "too many requests", code: http.StatusTooManyRequests, want: true},
		{name: "internal", code: http.StatusInternalServerError, want: true},
		{name: "bad gateway", code: http.StatusBadGateway, want: true},
		{name: "unavailable", code: http.StatusServiceUnavailable, want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := retryableStatus(tc.code); got != tc.want {
				t.Errorf("retryableStatus(%d) = %v, want %v", tc.code, got, tc.want)
			}
		})
	}
}
