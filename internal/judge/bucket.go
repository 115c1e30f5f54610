package judge

import (
	"context"
	"sync"
	"time"
)

// bucket is a token bucket refilled at perMinute/60 tokens per second up to
// capacity. take reserves tokens at once (the level may go negative) and
// waits until the debt is repaid, so waiters are served in arrival order and
// a request larger than the capacity still passes, after a longer wait.
// A nil *bucket never waits.
type bucket struct {
	mu       sync.Mutex
	ratePerS float64
	capacity float64
	level    float64
	last     time.Time
	now      func() time.Time
}

// newBucket returns a bucket for perMinute tokens a minute holding at most
// one second's worth (at least 1), starting full; nil if perMinute <= 0.
func newBucket(perMinute float64) *bucket {
	if perMinute <= 0 {
		return nil
	}
	rate := perMinute / 60
	capacity := max(rate, 1)
	return &bucket{ratePerS: rate, capacity: capacity, level: capacity, last: time.Now(), now: time.Now}
}

// refill brings the level up to date; b.mu must be held.
func (b *bucket) refill() {
	t := b.now()
	b.level = min(b.capacity, b.level+t.Sub(b.last).Seconds()*b.ratePerS)
	b.last = t
}

// take reserves n tokens and waits until they are paid for. If ctx ends
// first the reservation is returned and ctx's error is returned.
func (b *bucket) take(ctx context.Context, n float64) error {
	if b == nil || n <= 0 {
		return nil
	}
	b.mu.Lock()
	b.refill()
	b.level -= n
	var wait time.Duration
	if b.level < 0 {
		wait = time.Duration(-b.level / b.ratePerS * float64(time.Second))
	}
	b.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		b.adjust(n)
		return ctx.Err()
	}
}

// adjust adds delta tokens (negative to charge more), capped at capacity.
// It corrects an estimate once the real count is known.
func (b *bucket) adjust(delta float64) {
	if b == nil || delta == 0 {
		return
	}
	b.mu.Lock()
	b.refill()
	b.level = min(b.capacity, b.level+delta)
	b.mu.Unlock()
}
