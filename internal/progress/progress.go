// Package progress keeps per-stage element counts of the jobs running in this process and
// prints them at a steady pace, so that a user watching a long job on the embedded runner
// sees it move. Counts from workers in other processes (Dataflow, an external worker
// pool) do not reach it; those runners have their own consoles.
package progress

import (
	"sync"
	"sync/atomic"
)

var (
	mu     sync.Mutex
	stages = map[string]*atomic.Int64{}
	totals = map[string]int64{}
)

// Add adds n elements to stage.
func Add(stage string, n int64) {
	mu.Lock()
	c, ok := stages[stage]
	if !ok {
		c = new(atomic.Int64)
		stages[stage] = c
	}
	mu.Unlock()
	c.Add(n)
}

// SetTotal records how many elements stage expects, which turns its line into a
// percentage with an ETA. A total of 0 means unknown.
func SetTotal(stage string, n int64) {
	mu.Lock()
	totals[stage] = n
	mu.Unlock()
}

// Reset forgets every stage; a launcher calls it before a job starts.
func Reset() {
	mu.Lock()
	stages = map[string]*atomic.Int64{}
	totals = map[string]int64{}
	mu.Unlock()
}

// Snapshot returns the current count of every stage.
func Snapshot() map[string]int64 {
	mu.Lock()
	defer mu.Unlock()
	out := make(map[string]int64, len(stages))
	for k, c := range stages {
		out[k] = c.Load()
	}
	return out
}
