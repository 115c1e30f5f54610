package judge

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunAll(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		workers int
	}{
		{name: "empty", n: 0, workers: 4},
		{name: "fewer items than workers", n: 3, workers: 8},
		{name: "more items than workers", n: 50, workers: 4},
		{name: "unbounded workers", n: 20, workers: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var running, peak, calls atomic.Int64
			errs := RunAll(context.Background(), tc.n, tc.workers, func(ctx context.Context, i int) error {
				calls.Add(1)
				r := running.Add(1)
				defer running.Add(-1)
				for {
					p := peak.Load()
					if r <= p || peak.CompareAndSwap(p, r) {
						break
					}
				}
				time.Sleep(2 * time.Millisecond)
				if i%3 == 0 {
					return fmt.Errorf("item %d", i)
				}
				return nil
			})
			if len(errs) != tc.n || calls.Load() != int64(tc.n) {
				t.Fatalf("%d errors, %d calls, want %d", len(errs), calls.Load(), tc.n)
			}
			for i, err := range errs {
				want := i%3 == 0
				if (err != nil) != want || (want && err.Error() != fmt.Sprintf("item %d", i)) {
					t.Errorf("errs[%d] = %v", i, err)
				}
			}
			if tc.workers > 0 && peak.Load() > int64(tc.workers) {
				t.Errorf("peak concurrency %d > %d workers", peak.Load(), tc.workers)
			}
			failed, _ := Failures(errs)
			if wantFailed := (tc.n + 2) / 3; failed != wantFailed {
				t.Errorf("Failures counted %d failures, want %d", failed, wantFailed)
			}
		})
	}
}

func TestRunAllCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	errs := RunAll(ctx, 10, 2, func(ctx context.Context, i int) error { return ctx.Err() })
	for i, err := range errs {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("errs[%d] = %v, want context.Canceled", i, err)
		}
	}
}
