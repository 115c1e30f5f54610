package schedule

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/rewards"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func TestRuleApply(t *testing.T) {
	W, T, L := rewards.Win, rewards.Tie, rewards.Loss
	tests := []struct {
		name     string
		rule     Rule
		rungs    int
		outcomes []rewards.Outcome
		want     int // final pointer
		moves    []string
	}{
		{"released one win promotes", Released, 3, []rewards.Outcome{W}, 1, []string{"promote 0->1"}},
		{"released ties do not move", Released, 3, []rewards.Outcome{T, T, L}, 0, nil},
		{"released masters after strongest", Released, 2, []rewards.Outcome{W, W, W}, 2, []string{"promote 0->1", "master 1->2"}},
		{"2 of 3", Rule{Wins: 2, Window: 3}, 3, []rewards.Outcome{W, L, L, W, T, W}, 1, []string{"promote 0->1"}},
		{"2 of 3 window resets after move", Rule{Wins: 2, Window: 3}, 3, []rewards.Outcome{W, W, W, W}, 2, []string{"promote 0->1", "promote 1->2"}},
		{"demote after 2 losses", Rule{Wins: 1, Window: 2, DemoteLosses: 2}, 3, []rewards.Outcome{W, L, L}, 0, []string{"promote 0->1", "demote 1->0"}},
		{"no demotion below 0", Rule{Wins: 1, Window: 2, DemoteLosses: 2}, 3, []rewards.Outcome{L, L, L}, 0, nil},
		{"mastered demotes to strongest", Rule{Wins: 1, Window: 1, DemoteLosses: 1}, 1, []rewards.Outcome{W, L}, 0, []string{"master 0->1", "demote 1->0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := NewState()
			var got []string
			for i, o := range tc.outcomes {
				mv, moved, err := tc.rule.Apply(st, Observation{Sample: "s", Rungs: tc.rungs, Outcome: o, Step: i}, t0)
				if err != nil {
					t.Fatal(err)
				}
				if moved {
					got = append(got, fmt.Sprintf("%s %d->%d", mv.Reason, mv.From, mv.To))
				}
			}
			if p := st.Samples["s"].Pointer; p != tc.want {
				t.Errorf("pointer = %d, want %d", p, tc.want)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.moves) || len(st.History) != len(tc.moves) {
				t.Errorf("moves = %v (history %d), want %v", got, len(st.History), tc.moves)
			}
		})
	}
}

func TestRuleRejects(t *testing.T) {
	st := NewState()
	if _, _, err := Released.Apply(st, Observation{Sample: "s", Rungs: 2, Outcome: rewards.OutcomeUnknown}, t0); !errors.Is(err, ErrBadObservation) {
		t.Errorf("unknown outcome: err = %v", err)
	}
	if _, _, err := (Rule{Wins: 3, Window: 2}).Apply(st, Observation{Sample: "s", Rungs: 2, Outcome: rewards.Win}, t0); !errors.Is(err, ErrBadRule) {
		t.Errorf("bad rule: err = %v", err)
	}
	if _, moved, err := Released.Apply(st, Observation{Sample: "s", Rungs: 2, Outcome: rewards.Win, Validation: true}, t0); moved || err != nil || len(st.Samples) != 0 {
		t.Errorf("validation moved=%v err=%v samples=%d", moved, err, len(st.Samples))
	}
}

func TestReferenceClamps(t *testing.T) {
	s := &SampleState{Pointer: 3, Rungs: 3}
	if !s.Mastered() || s.Reference() != 2 {
		t.Errorf("mastered=%v reference=%d, want true 2", s.Mastered(), s.Reference())
	}
}

func TestLadderReference(t *testing.T) {
	ctx := context.Background()
	l := &Ladder{Rule: Released, Store: &memStore{}}
	for i := 0; i < 3; i++ {
		if ref, err := l.Reference(ctx, "a", 2); err != nil || ref != min(i, 1) {
			t.Fatalf("round %d: reference = %d, %v; want %d", i, ref, err, min(i, 1))
		}
		if _, err := l.Observe(ctx, Observation{Sample: "a", Rungs: 2, Outcome: rewards.Win}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPhasePlan(t *testing.T) {
	tests := []struct {
		name      string
		step      int
		want      int
		wantError bool
	}{
		{"first", 0, 1, false}, {"last of 1", 399, 1, false}, {"first of 2", 400, 2, false},
		{"last", 899, 2, false}, {"past end", 900, 0, true}, {"negative", -1, 0, true},
	}
	for _, tc := range tests {
		got, err := MusegPhases.PhaseOfStep(tc.step)
		if got != tc.want || (err != nil) != tc.wantError {
			t.Errorf("%s: PhaseOfStep(%d) = %d, %v; want %d", tc.name, tc.step, got, err, tc.want)
		}
	}
	if p, _ := MusegPhases.PhaseOfSample(400*14 - 1); p != 1 {
		t.Errorf("sample 5599 phase %d, want 1", p)
	}
	if p, _ := MusegPhases.PhaseOfSample(400 * 14); p != 2 {
		t.Errorf("sample 5600 phase %d, want 2", p)
	}
}

// memStore keeps the state in memory, for the ladder tests (internal/store tests the
// real stores).
type memStore struct {
	mu sync.Mutex
	b  []byte
}

func (m *memStore) Load(ctx context.Context) (*State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return DecodeState(m.b)
}

func (m *memStore) Update(ctx context.Context, fn func(*State) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, err := DecodeState(m.b)
	if err != nil {
		return err
	}
	if err := fn(st); err != nil {
		return err
	}
	m.b, err = EncodeState(st)
	return err
}

func TestStateRoundTrip(t *testing.T) {
	st := NewState()
	st.Version = 0
	st.Samples["a"] = &SampleState{Pointer: 1, Rungs: 2, Recent: []string{"win"}}
	b, err := EncodeState(st)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeState(b)
	if err != nil || got.Version != StateVersion || got.Samples["a"].Pointer != 1 {
		t.Fatalf("round trip = %+v, %v", got, err)
	}
	if empty, err := DecodeState(nil); err != nil || empty.Samples == nil {
		t.Fatalf("empty = %+v, %v", empty, err)
	}
}
