package serve

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/rlcurate/rlcurate/schedule"
)

// committer groups the schedule updates of concurrent requests (group commit): the
// changes of requests that arrive while an update is in flight join the next one, so a
// burst of requests costs a few writes of the state instead of one each. Each request
// waits until the update that carried its changes returned, so its outcomes are
// durable when it answers.
//
// Within one update the changes run in arrival order, each on the state the earlier
// ones left. A change that fails is undone (the samples it names, the history and the
// request ids are put back as they were) and only its request fails; the others are
// still written. A failed update fails every request it carried.
type committer struct {
	store schedule.Store
	// minInterval is the least time between the starts of two updates (Cloud Storage
	// takes about one write per second to one object); 0 for none.
	minInterval time.Duration
	// timeout bounds one update (it does not end with the request that started it).
	timeout time.Duration

	mu    sync.Mutex
	queue []*change
	busy  bool // a goroutine is running updates
	last  time.Time
}

// change is one request's part of a grouped update.
type change struct {
	// apply changes the state; it may run more than once (once per attempt of the
	// store's update) and must depend only on the state it is given.
	apply func(*schedule.State) error
	// samples are the ids of the samples apply may change (for undoing it).
	samples []string

	err  error // apply's error in the attempt that was written, or the update's
	done chan struct{}
}

func newCommitter(st schedule.Store, minInterval, timeout time.Duration) *committer {
	return &committer{store: st, minInterval: minInterval, timeout: timeout}
}

// commit queues apply (which changes at most the given samples, the history and the
// request ids) for the next update and returns once that update is over: nil when it
// wrote apply's changes, apply's own error when apply failed (nothing of it was
// written), or the update's error. A ctx that ends while the change is still queued
// withdraws it (nothing applied); once its update started, the change may be written
// although commit returns ctx's error.
func (c *committer) commit(ctx context.Context, apply func(*schedule.State) error, samples []string) error {
	ch := &change{apply: apply, samples: samples, done: make(chan struct{})}
	c.mu.Lock()
	c.queue = append(c.queue, ch)
	if !c.busy {
		c.busy = true
		go c.run()
	}
	c.mu.Unlock()
	select {
	case <-ch.done:
		return ch.err
	case <-ctx.Done():
		c.mu.Lock()
		if i := slices.Index(c.queue, ch); i >= 0 {
			c.queue = slices.Delete(c.queue, i, i+1)
		}
		c.mu.Unlock()
		return ctx.Err()
	}
}

// run performs updates until the queue is empty: each takes every change queued when it
// starts (after waiting out minInterval).
func (c *committer) run() {
	for {
		c.mu.Lock()
		wait := time.Until(c.last.Add(c.minInterval))
		c.mu.Unlock()
		if c.minInterval > 0 && wait > 0 {
			time.Sleep(wait)
		}
		c.mu.Lock()
		batch := c.queue
		c.queue = nil
		if len(batch) == 0 {
			c.busy = false
			c.mu.Unlock()
			return
		}
		c.last = time.Now()
		c.mu.Unlock()
		c.update(batch)
	}
}

// update applies batch in one Store.Update and wakes its requests.
func (c *committer) update(batch []*change) {
	ctx, cancel := context.Background(), func() {}
	if c.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
	}
	defer cancel()
	err := c.store.Update(ctx, func(st *schedule.State) error {
		for _, ch := range batch {
			u := saveUndo(st, ch.samples)
			if ch.err = ch.apply(st); ch.err != nil {
				u.restore(st)
			}
		}
		return nil
	})
	for _, ch := range batch {
		if err != nil {
			ch.err = err
		}
		close(ch.done)
	}
}

// undo is what a change may alter in a state, as it was before the change.
type undo struct {
	samples  map[string]*schedule.SampleState // nil value: the sample was absent
	history  int
	requests []string
}

func saveUndo(st *schedule.State, samples []string) undo {
	u := undo{samples: map[string]*schedule.SampleState{}, history: len(st.History), requests: slices.Clone(st.Requests)}
	for _, id := range samples {
		u.samples[id] = cloneSample(st.Samples[id])
	}
	return u
}

func (u undo) restore(st *schedule.State) {
	st.History = st.History[:u.history]
	st.Requests = u.requests
	for id, s := range maps.All(u.samples) {
		if s == nil {
			delete(st.Samples, id)
		} else {
			st.Samples[id] = s
		}
	}
}

func cloneSample(s *schedule.SampleState) *schedule.SampleState {
	if s == nil {
		return nil
	}
	c := *s
	c.Recent, c.Labels = slices.Clone(s.Recent), slices.Clone(s.Labels)
	return &c
}

// DefaultMinUpdateInterval is the least time between two writes of a schedule that is
// not on Cloud Storage. Without it, how many requests share a write depends on how
// their arrivals spread: on a loaded machine a burst of 256 requests over half a second
// made 52 writes; with it a write waits at most this long for company, and a burst
// makes at most one write per interval.
const DefaultMinUpdateInterval = 20 * time.Millisecond
