package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/pgtest"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/schedule"
)

// replicas opens a new store value on one state each time it is called: a separate
// worker (for Postgres, its own connection pool and cache) sharing that state.
type replicas func() schedule.Store

// kinds returns, for each store, a function that gives every case a fresh state.
func kinds(t *testing.T) map[string]func(t *testing.T) replicas {
	fakeGCS(t)
	pg := pgtest.Start(t)
	n := 0
	return map[string]func(*testing.T) replicas{
		"file": func(t *testing.T) replicas {
			p := filepath.Join(t.TempDir(), "schedule.json")
			return func() schedule.Store { return &File{Path: p} }
		},
		"gcs": func(t *testing.T) replicas {
			n++
			p := fmt.Sprintf("gs://sched/case%d/schedule.json", n)
			return func() schedule.Store { return &GCS{Client: newClient(t), Path: p} }
		},
		"postgres": func(t *testing.T) replicas {
			url := pg.Database(t)
			return func() schedule.Store {
				p, err := OpenPostgres(context.Background(), url)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(p.Pool.Close)
				return p
			}
		},
	}
}

// observe applies the outcomes under rule in one update, at step and time t0.
func observe(t *testing.T, st schedule.Store, rule schedule.Rule, step int, obs ...schedule.Observation) {
	t.Helper()
	l := &schedule.Ladder{Rule: rule, Store: st, Now: func() time.Time { return t0.Add(time.Duration(step) * time.Second) }}
	for i := range obs {
		obs[i].Step = step
	}
	if _, err := l.Observe(context.Background(), obs...); err != nil {
		t.Fatal(err)
	}
}

func win(sample string, rungs int) schedule.Observation {
	return schedule.Observation{Sample: sample, Rungs: rungs, Outcome: rewards.Win}
}

func outcome(sample string, rungs int, o rewards.Outcome) schedule.Observation {
	return schedule.Observation{Sample: sample, Rungs: rungs, Outcome: o}
}

func move(sample string, from, to, step int, reason string) schedule.Move {
	return schedule.Move{Sample: sample, From: from, To: to, Step: step, Time: t0.Add(time.Duration(step) * time.Second), Reason: reason}
}

// expect checks that a new replica loads exactly want (compared in the file store's JSON).
func expect(t *testing.T, open replicas, want *schedule.State) {
	t.Helper()
	got, err := open().Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	g, _ := schedule.EncodeState(got)
	w, _ := schedule.EncodeState(want)
	if string(g) != string(w) {
		t.Errorf("loaded state:\n%s\nwant:\n%s", g, w)
	}
}

// conformance is what every store must do, whatever keeps the state.
var conformance = []struct {
	name string
	run  func(t *testing.T, open replicas)
}{
	{"fresh state is empty", func(t *testing.T, open replicas) {
		expect(t, open, schedule.NewState())
	}},
	{"outcomes: a strict win promotes, a tie or a loss does not", func(t *testing.T, open replicas) {
		observe(t, open(), schedule.Released, 3, win("a", 3), outcome("b", 3, rewards.Tie), outcome("c", 2, rewards.Loss))
		want := schedule.NewState()
		want.Samples = map[string]*schedule.SampleState{
			"a": {Pointer: 1, Rungs: 3},
			"b": {Pointer: 0, Rungs: 3, Recent: []string{"tie"}},
			"c": {Pointer: 0, Rungs: 2, Recent: []string{"loss"}},
		}
		want.History = []schedule.Move{move("a", 0, 1, 3, "promote")}
		expect(t, open, want)
	}},
	{"a request id is applied once, also through another replica", func(t *testing.T, open replicas) {
		apply := func(st *schedule.State) error {
			if st.Applied("req-1") {
				return nil
			}
			st.RecordRequest("req-1")
			_, _, err := schedule.Released.Apply(st, schedule.Observation{Sample: "a", Rungs: 3, Outcome: rewards.Win, Step: 1}, t0.Add(time.Second))
			return err
		}
		for _, st := range []schedule.Store{open(), open(), open()} {
			if err := st.Update(context.Background(), apply); err != nil {
				t.Fatal(err)
			}
		}
		want := schedule.NewState()
		want.Samples = map[string]*schedule.SampleState{"a": {Pointer: 1, Rungs: 3}}
		want.History = []schedule.Move{move("a", 0, 1, 1, "promote")}
		want.Requests = []string{"req-1"}
		expect(t, open, want)
	}},
	{"a label id is applied once per sample", func(t *testing.T, open replicas) {
		label := func(id, sample string, step int) func(*schedule.State) error {
			return func(st *schedule.State) error {
				_, _, _, err := schedule.Released.ApplyLabel(st, id, schedule.Observation{Sample: sample, Rungs: 4, Outcome: rewards.Win, Step: step}, t0.Add(time.Duration(step)*time.Second))
				return err
			}
		}
		a, b := open(), open()
		for _, u := range []struct {
			st schedule.Store
			fn func(*schedule.State) error
		}{{a, label("l1", "s", 1)}, {b, label("l1", "s", 1)}, {a, label("l2", "s", 2)}, {b, label("l1", "t", 2)}, {a, label("l2", "s", 2)}} {
			if err := u.st.Update(context.Background(), u.fn); err != nil {
				t.Fatal(err)
			}
		}
		want := schedule.NewState()
		want.Samples = map[string]*schedule.SampleState{
			"s": {Pointer: 2, Rungs: 4, Labels: []string{"l1", "l2"}},
			"t": {Pointer: 1, Rungs: 4, Labels: []string{"l1"}},
		}
		want.History = []schedule.Move{move("s", 0, 1, 1, "promote"), move("s", 1, 2, 2, "promote"), move("t", 0, 1, 2, "promote")}
		expect(t, open, want)
	}},
	{"an outcome judged against a reference that moved is refused", func(t *testing.T, open replicas) {
		a, b := open(), open()
		observe(t, a, schedule.Released, 4, win("x", 3))
		judged := map[schedule.Store]int{}
		for _, st := range []schedule.Store{a, b} { // both judge against the reference they read
			s, err := st.Load(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			judged[st] = s.Samples["x"].Reference()
		}
		for i, st := range []schedule.Store{a, b} {
			err := st.Update(context.Background(), func(s *schedule.State) error {
				if s.Samples["x"].Reference() != judged[st] {
					return nil // stale: the sample moved while it was judged
				}
				_, _, err := schedule.Released.Apply(s, schedule.Observation{Sample: "x", Rungs: 3, Outcome: rewards.Win, Step: 5 + i}, t0.Add(5*time.Second))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		want := schedule.NewState()
		want.Samples = map[string]*schedule.SampleState{"x": {Pointer: 2, Rungs: 3}}
		want.History = []schedule.Move{move("x", 0, 1, 4, "promote"), move("x", 1, 2, 5, "promote")}
		expect(t, open, want)
	}},
	{"concurrent updates from many workers lose nothing", func(t *testing.T, open replicas) {
		hammer(t, []schedule.Store{open(), open(), open(), open()}, 8)
	}},
	{"k of n: 2 wins of the last 3 promote, 2 losses in a row demote", func(t *testing.T, open replicas) {
		rule := schedule.Rule{Wins: 2, Window: 3, DemoteLosses: 2}
		a, b := open(), open()
		observe(t, a, rule, 1, win("k", 3))
		observe(t, b, rule, 2, outcome("k", 3, rewards.Loss))
		want := schedule.NewState()
		want.Samples = map[string]*schedule.SampleState{"k": {Pointer: 0, Rungs: 3, Recent: []string{"win", "loss"}}}
		expect(t, open, want)
		observe(t, a, rule, 3, win("k", 3))
		observe(t, b, rule, 4, outcome("k", 3, rewards.Loss))
		observe(t, a, rule, 5, outcome("k", 3, rewards.Loss))
		want.Samples["k"] = &schedule.SampleState{Pointer: 0, Rungs: 3}
		want.History = []schedule.Move{move("k", 0, 1, 3, "promote"), move("k", 1, 0, 5, "demote")}
		expect(t, open, want)
	}},
	{"beating the strongest masters the sample, which then stays", func(t *testing.T, open replicas) {
		a, b := open(), open()
		observe(t, a, schedule.Released, 1, win("m", 2))
		observe(t, b, schedule.Released, 2, win("m", 2))
		observe(t, a, schedule.Released, 3, win("m", 2))
		want := schedule.NewState()
		want.Samples = map[string]*schedule.SampleState{"m": {Pointer: 2, Rungs: 2, Recent: []string{"win"}}}
		want.History = []schedule.Move{move("m", 0, 1, 1, "promote"), move("m", 1, 2, 2, "master")}
		expect(t, open, want)
		st, err := open().Load(context.Background())
		if err != nil || !st.Samples["m"].Mastered() || st.Samples["m"].Reference() != 1 {
			t.Fatalf("m = %+v, %v; want mastered, meeting the strongest (reference 1)", st.Samples["m"], err)
		}
	}},
	{"a failed update changes nothing and returns its error", func(t *testing.T, open replicas) {
		observe(t, open(), schedule.Released, 1, win("f", 3))
		boom := errors.New("boom")
		err := open().Update(context.Background(), func(st *schedule.State) error {
			st.Samples["f"].Pointer = 3
			st.RecordRequest("never")
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Update = %v, want boom", err)
		}
		want := schedule.NewState()
		want.Samples = map[string]*schedule.SampleState{"f": {Pointer: 1, Rungs: 3}}
		want.History = []schedule.Move{move("f", 0, 1, 1, "promote")}
		expect(t, open, want)
	}},
	{"a state replaced as a whole is stored as given, and loads after reopening", func(t *testing.T, open replicas) {
		observe(t, open(), schedule.Released, 1, win("old", 3), win("kept", 3))
		want := schedule.NewState()
		want.Samples = map[string]*schedule.SampleState{
			"kept": {Pointer: 2, Rungs: 3, Recent: []string{"tie"}, Labels: []string{"x", "y"}},
			"new":  {Pointer: 3, Rungs: 3},
		}
		want.History = []schedule.Move{move("new", 2, 3, 9, "master")}
		want.Requests = []string{"r2", "r1"}
		err := open().Update(context.Background(), func(st *schedule.State) error {
			*st = *cloneState(want)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		expect(t, open, want)
	}},
}

// TestConformance runs every case against the file store, the GCS store (on
// fake-gcs-server) and the Postgres store (on a real server from pgtest).
func TestConformance(t *testing.T) {
	for kind, fresh := range kinds(t) {
		t.Run(kind, func(t *testing.T) {
			for _, tc := range conformance {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, fresh(t)) })
			}
		})
	}
}
