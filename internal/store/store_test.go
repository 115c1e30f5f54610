package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/pgtest"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/schedule"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// hammer runs workers x perWorker promotions of distinct samples through the
// stores (each worker gets its own store value, like a separate process) and
// checks that every one landed.
func hammer(t *testing.T, stores []schedule.Store, perWorker int) {
	t.Helper()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, len(stores)*perWorker)
	for w, store := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := &schedule.Ladder{Rule: schedule.Released, Store: store, Now: func() time.Time { return t0 }}
			for i := 0; i < perWorker; i++ {
				// every worker also hits one shared sample, so updates truly collide
				_, err := l.Observe(ctx,
					schedule.Observation{Sample: fmt.Sprintf("w%d-%d", w, i), Rungs: 2, Outcome: rewards.Win, Step: i},
					schedule.Observation{Sample: "shared", Rungs: 1000, Outcome: rewards.Win, Step: i})
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	st, err := stores[0].Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := len(stores) * perWorker
	if got := len(st.Samples); got != n+1 {
		t.Errorf("samples = %d, want %d", got, n+1)
	}
	if p := st.Samples["shared"].Pointer; p != n {
		t.Errorf("shared pointer = %d, want %d (lost updates)", p, n)
	}
	if got := len(st.History); got != 2*n {
		t.Errorf("history = %d moves, want %d", got, 2*n)
	}
}

func TestFileConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "schedule.json")
	var stores []schedule.Store
	for i := 0; i < 4; i++ {
		stores = append(stores, &File{Path: path})
	}
	hammer(t, stores, 25)
}

func TestOpen(t *testing.T) {
	fakeGCS(t)
	local := filepath.Join(t.TempDir(), "s.json")
	pg := pgtest.Start(t)
	tests := []struct {
		name, path string
		want       string // the store's type, or "" for an error
	}{
		{"local file", local, "*store.File"},
		{"gs object", "gs://sched/state.json", "*store.GCS"},
		{"postgres URL", pg.Database(t), "*store.Postgres"},
		{"postgresql URL", strings.Replace(pg.Database(t), "postgres://", "postgresql://", 1), "*store.Postgres"},
		{"gs bucket only", "gs://sched", ""},
		{"gs no bucket", "gs:///state.json", ""},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, closeFn, err := Open(context.Background(), tc.path)
			if tc.want == "" {
				if err == nil {
					closeFn()
					t.Fatalf("Open(%q) = %T, want an error", tc.path, st)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer closeFn()
			if got := fmt.Sprintf("%T", st); got != tc.want {
				t.Fatalf("Open(%q) = %s, want %s", tc.path, got, tc.want)
			}
			l := &schedule.Ladder{Rule: schedule.Released, Store: st, Now: func() time.Time { return t0 }}
			if _, err := l.Observe(context.Background(), schedule.Observation{Sample: "a", Rungs: 2, Outcome: rewards.Win}); err != nil {
				t.Fatal(err)
			}
			got, err := Load(context.Background(), tc.path)
			if err != nil || got.Samples["a"].Pointer != 1 {
				t.Fatalf("Load(%q) = %+v, %v; want a at 1", tc.path, got, err)
			}
		})
	}
}

func TestLoadMissing(t *testing.T) {
	fakeGCS(t)
	for _, path := range []string{filepath.Join(t.TempDir(), "none.json"), "gs://sched/none.json"} {
		st, err := Load(context.Background(), path)
		if err != nil || len(st.Samples) != 0 || st.Version != schedule.StateVersion {
			t.Errorf("Load(%q) = %+v, %v; want an empty state", path, st, err)
		}
	}
}
