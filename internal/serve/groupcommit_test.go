package serve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/gcstest"
	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/store"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/schedule"
)

// countingStore counts the updates (each one write of the state) of the store it wraps;
// with gate set, every update first waits until the gate is closed.
type countingStore struct {
	schedule.Store
	updates atomic.Int64
	gate    chan struct{}
}

func (c *countingStore) Update(ctx context.Context, fn func(*schedule.State) error) error {
	if c.gate != nil {
		<-c.gate
	}
	c.updates.Add(1)
	return c.Store.Update(ctx, fn)
}

// failingStore refuses every update.
type failingStore struct{ schedule.Store }

func (failingStore) Update(context.Context, func(*schedule.State) error) error {
	return errors.New("bucket on fire")
}

// writingSamples writes n samples g000... with two references each (neither GOOD nor
// BAD: a GOOD completion wins) and returns their folder.
func writingSamples(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"id":"g%03d","prompt":"Write %d.","criteria":null,"references":["weak %d","strong %d"],"policy_response":"p"}`+"\n", i, i, i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "samples.jsonl"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// burstJudge is the scripted judge of fakeJudge behind a client that lets a whole burst
// of calls through at once, each answered after latency.
func burstJudge(t *testing.T, latency time.Duration) judge.Judge {
	t.Helper()
	srv, _ := fakeJudge(t)
	srv.SetLatency(latency)
	c, err := judge.NewClient(judge.ClientConfig{BaseURL: srv.URL(), Model: "judge", MaxAttempts: 1, Timeout: 10 * time.Second, Concurrency: 512})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestGroupCommitBurst sends 256 concurrent single-item writing requests (two wins for
// each of 128 samples, under a rule that promotes on two wins) to one service on a file
// schedule: all are answered 200, the schedule is written at most 32 times, and the
// final state is the one applying the 256 outcomes one at a time gives.
func TestGroupCommitBurst(t *testing.T) {
	const n = 256
	samples, err := LoadSamples(context.Background(), writingSamples(t, n/2))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "schedule.json")
	st := &countingStore{Store: &store.File{Path: path}}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	rule := schedule.Rule{Wins: 2, Window: 2}
	_, ts := newServer(t, Config{Judge: burstJudge(t, 50*time.Millisecond), Samples: samples, Store: st, Rule: rule,
		MaxInFlight: 2 * n, Now: func() time.Time { return now }})

	req := func(i int) Request {
		return Request{Query: []string{fmt.Sprintf("GOOD essay %d", i)}, Labels: []string{writingLabel(fmt.Sprintf("g%03d", i/2))},
			RequestID: fmt.Sprintf("r%03d", i), Step: 5}
	}
	var wg sync.WaitGroup
	var moved, stale atomic.Int64
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, resp, bad := post(t, ts.URL, req(i))
			if status != 200 {
				t.Errorf("request %d: status %d: %s", i, status, bad.Error)
				return
			}
			moved.Add(int64(resp.ExtraLogs["writing/moved"][0]))
			stale.Add(int64(resp.ExtraLogs["writing/stale"][0]))
		}()
	}
	wg.Wait()
	t.Logf("%d requests in %v: %d writes of the schedule", n, time.Since(start).Round(time.Millisecond), st.updates.Load())
	if got := st.updates.Load(); got > 32 {
		t.Errorf("%d writes of the schedule for %d concurrent requests, want at most 32", got, n)
	}
	if moved.Load() != n/2 || stale.Load() != 0 {
		t.Errorf("%d moved and %d stale answers, want %d and 0", moved.Load(), stale.Load(), n/2)
	}

	// The same outcomes (each a win at reference 0) applied one at a time.
	want := schedule.NewState()
	for i := range n {
		want.RecordRequest(req(i).RequestID)
		if _, _, err := rule.Apply(want, schedule.Observation{Sample: fmt.Sprintf("g%03d", i/2), Rungs: 2, Outcome: rewards.Win, Step: 5}, now); err != nil {
			t.Fatal(err)
		}
	}
	got, err := (&store.File{Path: path}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Requests of one batch run in arrival order: compare history and ids as sets.
	for _, s := range []*schedule.State{want, got} {
		slices.SortFunc(s.History, func(a, b schedule.Move) int { return strings.Compare(a.Sample, b.Sample) })
		slices.Sort(s.Requests)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("final state differs from the outcomes applied one at a time:\n got %+v\nwant %+v", got, want)
	}
	if len(got.History) != n/2 {
		t.Errorf("%d moves, want %d", len(got.History), n/2)
	}
}

// TestGroupCommitReplayInBatch holds the first update until three more requests are
// queued behind it, two of them with the same request id: they share one update, the
// first of the two applies its win, the second (a replay) applies nothing.
func TestGroupCommitReplayInBatch(t *testing.T) {
	_, client := fakeJudge(t)
	samples, err := LoadSamples(context.Background(), "testdata")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "schedule.json")
	gate := make(chan struct{})
	st := &countingStore{Store: &store.File{Path: path}, gate: gate}
	// Two wins promote, so that a doubled win would show as a move.
	s, ts := newServer(t, Config{Judge: client, Samples: samples, Store: st, Rule: schedule.Rule{Wins: 2, Window: 4}})
	queued := func() int {
		s.commits.mu.Lock()
		defer s.commits.mu.Unlock()
		return len(s.commits.queue)
	}

	type answer struct {
		status int
		resp   Response
	}
	answers := make([]answer, 4)
	var wg sync.WaitGroup
	send := func(k int, r Request) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, resp, _ := post(t, ts.URL, r)
			answers[k] = answer{status, resp}
		}()
	}
	send(0, Request{Query: []string{"BAD"}, Labels: []string{writingLabel("s1")}, RequestID: "first"})
	waitFor(t, func() bool { // taken, held at the gate
		s.commits.mu.Lock()
		defer s.commits.mu.Unlock()
		return len(s.commits.queue) == 0 && s.commits.busy
	})
	time.Sleep(50 * time.Millisecond)
	send(1, Request{Query: []string{"GOOD"}, Labels: []string{writingLabel("s2")}, RequestID: "dup"})
	waitFor(t, func() bool { return queued() == 1 })
	send(2, Request{Query: []string{"GOOD"}, Labels: []string{writingLabel("s2")}, RequestID: "dup"})
	waitFor(t, func() bool { return queued() == 2 })
	send(3, Request{Query: []string{"BAD"}, Labels: []string{writingLabel("s2")}, RequestID: "other"})
	waitFor(t, func() bool { return queued() == 3 })
	close(gate)
	wg.Wait()

	for k, a := range answers {
		if a.status != 200 {
			t.Fatalf("request %d: status %d", k, a.status)
		}
	}
	if got := st.updates.Load(); got != 2 {
		t.Errorf("%d updates, want 2 (the held one, then the three queued behind it)", got)
	}
	if r1, r2 := answers[1].resp.ExtraLogs["writing/replayed"][0], answers[2].resp.ExtraLogs["writing/replayed"][0]; r1 != 0 || r2 != 1 {
		t.Errorf("writing/replayed %v and %v for the request and its replay, want 0 and 1", r1, r2)
	}
	state, err := (&store.File{Path: path}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s2 := state.Samples["s2"]; s2 == nil || s2.Pointer != 0 || fmt.Sprint(s2.Recent) != "[win loss]" {
		t.Errorf("s2 %+v, want pointer 0 with outcomes [win loss] (the replayed win not applied)", s2)
	}
	if fmt.Sprint(state.Requests) != "[first dup other]" || len(state.History) != 0 {
		t.Errorf("requests %v history %v, want [first dup other] and no move", state.Requests, state.History)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5 s")
		}
	}
}

// TestGroupCommitFailingChange queues three changes in one update; the middle one
// changes the state, then fails: it alone fails and none of its changes are written,
// the other two are. A failing update fails every change it carried.
func TestGroupCommitFailingChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "schedule.json")
	gate := make(chan struct{})
	st := &countingStore{Store: &store.File{Path: path}, gate: gate}
	c := newCommitter(st, 0, 5*time.Second)
	rule := schedule.Rule{Wins: 1, Window: 1}
	win := func(id, req string, fail bool) func(*schedule.State) error {
		return func(s *schedule.State) error {
			s.RecordRequest(req)
			if _, _, err := rule.Apply(s, schedule.Observation{Sample: id, Rungs: 2, Outcome: rewards.Win}, time.Now()); err != nil {
				return err
			}
			if fail {
				return errors.New("judged wrong")
			}
			return nil
		}
	}
	ctx := context.Background()
	errs := make([]error, 4)
	var wg sync.WaitGroup
	run := func(k int, fn func(*schedule.State) error, samples ...string) {
		wg.Add(1)
		go func() { defer wg.Done(); errs[k] = c.commit(ctx, fn, samples) }()
	}
	queued := func(n int) func() bool {
		return func() bool { c.mu.Lock(); defer c.mu.Unlock(); return len(c.queue) == n }
	}
	run(0, win("a", "r0", false), "a")
	waitFor(t, func() bool { c.mu.Lock(); defer c.mu.Unlock(); return c.busy && len(c.queue) == 0 })
	run(1, win("b", "r1", false), "b")
	waitFor(t, queued(1))
	run(2, win("a", "r2", true), "a") // promotes a again (mastered), then fails
	waitFor(t, queued(2))
	run(3, win("c", "r3", false), "c")
	waitFor(t, queued(3))
	close(gate)
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || errs[3] != nil || errs[2] == nil || !strings.Contains(errs[2].Error(), "judged wrong") {
		t.Fatalf("errors %v, want only the third to fail", errs)
	}
	state, err := st.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(state.Requests) != "[r0 r1 r3]" || len(state.History) != 3 {
		t.Errorf("requests %v, %d moves; want [r0 r1 r3] and 3", state.Requests, len(state.History))
	}
	for id, want := range map[string]int{"a": 1, "b": 1, "c": 1} {
		if s := state.Samples[id]; s == nil || s.Pointer != want {
			t.Errorf("sample %s %+v, want pointer %d", id, s, want)
		}
	}

	// A store that refuses the update fails every request of the batch.
	f := newCommitter(failingStore{st.Store}, 0, time.Second)
	for k := range 3 {
		if err := f.commit(ctx, win("d", fmt.Sprint(k), false), []string{"d"}); err == nil || !strings.Contains(err.Error(), "bucket on fire") {
			t.Errorf("change %d on a failing store: %v", k, err)
		}
	}
}

// TestGroupCommitMinInterval checks that updates start at least MinUpdateInterval apart.
func TestGroupCommitMinInterval(t *testing.T) {
	var mu sync.Mutex
	var starts []time.Time
	st := &timedStore{Store: &store.File{Path: filepath.Join(t.TempDir(), "s.json")}, starts: &starts, mu: &mu}
	c := newCommitter(st, 100*time.Millisecond, 5*time.Second)
	var wg sync.WaitGroup
	for k := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(k) * 15 * time.Millisecond)
			id := fmt.Sprint(k)
			if err := c.commit(context.Background(), func(s *schedule.State) error { s.RecordRequest(id); return nil }, nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for i := 1; i < len(starts); i++ {
		if d := starts[i].Sub(starts[i-1]); d < 100*time.Millisecond {
			t.Errorf("updates %d and %d started %v apart, want >= 100ms", i-1, i, d)
		}
	}
	if len(starts) > 5 {
		t.Errorf("%d updates for 20 changes over 300 ms, want at most 5", len(starts))
	}
}

type timedStore struct {
	schedule.Store
	mu     *sync.Mutex
	starts *[]time.Time
}

func (s *timedStore) Update(ctx context.Context, fn func(*schedule.State) error) error {
	s.mu.Lock()
	*s.starts = append(*s.starts, time.Now())
	s.mu.Unlock()
	return s.Store.Update(ctx, fn)
}

// TestGroupCommitBurstGCS sends 256 concurrent single-item writing requests to one
// service on a gs:// schedule (fake-gcs-server) with MinUpdateInterval 1 s, as serve
// sets it for gs://: all are answered 200 and updates start at least a second apart.
func TestGroupCommitBurstGCS(t *testing.T) {
	_, host := gcstest.StartT(t, "sched")
	t.Setenv("STORAGE_EMULATOR_HOST", host)
	c, err := blob.NewGCS(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	const n = 256
	samples, err := LoadSamples(context.Background(), writingSamples(t, n/2))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var starts []time.Time
	gcs := &store.GCS{Client: c, Path: "gs://sched/schedule.json"}
	st := &timedStore{Store: gcs, starts: &starts, mu: &mu}
	_, ts := newServer(t, Config{Judge: burstJudge(t, 50*time.Millisecond), Samples: samples, Store: st,
		Rule: schedule.Rule{Wins: 2, Window: 2}, MaxInFlight: 2 * n, MinUpdateInterval: time.Second})
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := Request{Query: []string{fmt.Sprintf("GOOD essay %d", i)}, Labels: []string{writingLabel(fmt.Sprintf("g%03d", i/2))}, RequestID: fmt.Sprintf("r%03d", i)}
			if status, _, bad := post(t, ts.URL, r); status != 200 {
				t.Errorf("request %d: status %d: %s", i, status, bad.Error)
			}
		}()
	}
	wg.Wait()
	t.Logf("%d requests in %v: %d writes of the gs:// schedule", n, time.Since(start).Round(time.Millisecond), len(starts))
	for i := 1; i < len(starts); i++ {
		if d := starts[i].Sub(starts[i-1]); d < time.Second {
			t.Errorf("updates %d and %d started %v apart, want >= 1 s", i-1, i, d)
		}
	}
	got, err := gcs.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.History) != n/2 || len(got.Requests) != n {
		t.Errorf("%d moves and %d request ids, want %d and %d", len(got.History), len(got.Requests), n/2, n)
	}
}
