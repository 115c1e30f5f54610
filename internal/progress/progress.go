// Package progress keeps per-stage element counts of the jobs running in this process and
// prints them at a steady pace, so that a user watching a long job on the embedded runner
// sees it move. Counts from workers in other processes (Dataflow, an external worker
// pool) do not reach it; those runners have their own consoles.
package progress

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
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

// Report prints one line per stage to w every interval until stop is closed, each with
// its count, its rate since the previous line and, where a total is known, an ETA.
func Report(w io.Writer, interval time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	start := time.Now()
	prev := map[string]int64{}
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			now := Snapshot()
			io.WriteString(w, Format(now, prev, totalsCopy(), interval, time.Since(start)))
			prev = now
		}
	}
}

func totalsCopy() map[string]int64 {
	mu.Lock()
	defer mu.Unlock()
	out := make(map[string]int64, len(totals))
	for k, v := range totals {
		out[k] = v
	}
	return out
}

// Format renders one progress block: a line per stage, sorted by name, with the count,
// the rate over interval and, when the stage's total is known, percent done and ETA.
func Format(now, prev, totals map[string]int64, interval, elapsed time.Duration) string {
	names := make([]string, 0, len(now))
	for k := range now {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "progress after %s:\n", elapsed.Round(time.Second))
	for _, k := range names {
		rate := float64(now[k]-prev[k]) / interval.Seconds()
		fmt.Fprintf(&b, "  %-28s %10d  %9.1f/s", k, now[k], rate)
		if total := totals[k]; total > 0 {
			fmt.Fprintf(&b, "  %5.1f%%", 100*float64(now[k])/float64(total))
			if rate > 0 && now[k] < total {
				eta := time.Duration(float64(total-now[k]) / rate * float64(time.Second))
				fmt.Fprintf(&b, "  ETA %s", eta.Round(time.Second))
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}
