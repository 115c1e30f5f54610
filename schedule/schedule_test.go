package schedule

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	return m.decode()
}

// decode reads the state kept in memory; none kept yet is a fresh state, like a missing file.
func (m *memStore) decode() (*State, error) {
	if m.b == nil {
		return NewState(), nil
	}
	return DecodeState(m.b)
}

func (m *memStore) Update(ctx context.Context, fn func(*State) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, err := m.decode()
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
}

// TestDecodeStateRefuses: a state that exists but cannot be trusted is refused with
// ErrBadState (a missing one is the store's business: a fresh schedule).
func TestDecodeStateRefuses(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"0 bytes", "", "empty"},
		{"blank", " \n", "empty"},
		{"null", "null\n", "null"},
		{"garbage", "{\"version\": 1, \"samp", "not a state"},
		{"not an object", "[1, 2]", "not a state"},
		{"unknown version", `{"version": 7, "samples": {}}`, "unknown version 7"},
		{"no version", `{"samples": {}}`, "unknown version 0"},
		{"pointer beyond its ladder", `{"version": 1, "samples": {"a": {"pointer": 5, "rungs": 3}}}`, "beyond its ladder"},
		{"negative pointer", `{"version": 1, "samples": {"a": {"pointer": -1, "rungs": 3}}}`, "beyond its ladder"},
		{"no rungs", `{"version": 1, "samples": {"a": {"pointer": 0, "rungs": 0}}}`, "0 rungs"},
		{"null sample", `{"version": 1, "samples": {"a": null}}`, "is null"},
		{"bad recent", `{"version": 1, "samples": {"a": {"pointer": 0, "rungs": 1, "recent": ["won"]}}}`, "recent outcome"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := DecodeState([]byte(tc.data))
			if !errors.Is(err, ErrBadState) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("DecodeState(%q) = %+v, %v; want ErrBadState saying %q", tc.data, st, err, tc.want)
			}
		})
	}
	ok := `{"version": 1, "samples": {"a": {"pointer": 3, "rungs": 3, "recent": ["win"], "labels": ["r1"]}}}`
	if st, err := DecodeState([]byte(ok)); err != nil || !st.Samples["a"].Mastered() || !st.LabelApplied("a", "r1") {
		t.Fatalf("DecodeState(mastered) = %+v, %v", st, err)
	}
}

// TestApplyLabelOnce: a label id moves a sample once; the same id again changes nothing.
func TestApplyLabelOnce(t *testing.T) {
	st := NewState()
	tests := []struct {
		name, id, sample string
		validation       bool
		moved, already   bool
		pointer          int
	}{
		{"first", "r1", "a", false, true, false, 1},
		{"same id again", "r1", "a", false, false, true, 1},
		{"new id", "r2", "a", false, true, false, 2},
		{"same id, other sample", "r1", "b", false, true, false, 1},
		{"validation", "v1", "c", true, false, false, -1},
		{"validation again", "v1", "c", true, false, false, -1},
	}
	for _, tc := range tests {
		obs := Observation{Sample: tc.sample, Rungs: 3, Outcome: rewards.Win, Validation: tc.validation}
		_, moved, already, err := Released.ApplyLabel(st, tc.id, obs, t0)
		if err != nil || moved != tc.moved || already != tc.already {
			t.Errorf("%s: moved=%v already=%v err=%v; want %v %v", tc.name, moved, already, err, tc.moved, tc.already)
		}
		if s := st.Samples[tc.sample]; tc.pointer >= 0 && (s == nil || s.Pointer != tc.pointer) {
			t.Errorf("%s: sample %s = %+v, want pointer %d", tc.name, tc.sample, s, tc.pointer)
		}
	}
	if st.Samples["c"] != nil {
		t.Errorf("a validation label created sample c")
	}
	if _, _, _, err := Released.ApplyLabel(st, "", Observation{Sample: "a", Rungs: 3, Outcome: rewards.Win}, t0); !errors.Is(err, ErrBadObservation) {
		t.Errorf("empty id: err = %v", err)
	}
}
