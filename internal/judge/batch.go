package judge

import (
	"context"
	"sync"
)

// RunAll calls fn(ctx, i) for every i in [0, n) on at most workers
// goroutines (workers <= 0 means one per item) and returns the n errors in
// index order (nil for successes). It always runs every item: one failure
// does not cancel the others, since callers dead-letter failures one by one.
// Items not started when ctx ends get ctx's error.
//
// A Beam DoFn hands a whole bundle to RunAll with a Client; the Client's own
// Concurrency limit still bounds the HTTP calls in flight.
func RunAll(ctx context.Context, n, workers int, fn func(ctx context.Context, i int) error) []error {
	errs := make([]error, n)
	if n <= 0 {
		return errs
	}
	if workers <= 0 || workers > n {
		workers = n
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = fn(ctx, i)
			}
		}()
	}
	i := 0
feed:
	for ; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	for ; i < n; i++ {
		errs[i] = ctx.Err()
	}
	wg.Wait()
	return errs
}

// Failures returns how many errors in errs are non-nil and the first of them (nil if none).
func Failures(errs []error) (failed int, first error) {
	for _, err := range errs {
		if err != nil {
			if first == nil {
				first = err
			}
			failed++
		}
	}
	return failed, first
}
