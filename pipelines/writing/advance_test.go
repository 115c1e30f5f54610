package writing

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/store"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/schedule"
)

// writeLabels writes one winning label row per sample prefix-0 .. prefix-(n-1) (label id
// prefix-i/r, rungs 3) to dir/name and returns its path.
func writeLabels(t *testing.T, dir, name, prefix string, n int) string {
	t.Helper()
	var b bytes.Buffer
	for i := range n {
		row, _ := json.Marshal(LabelRow{ID: fmt.Sprintf("%s-%d/r", prefix, i), SampleID: fmt.Sprintf("%s-%d", prefix, i),
			Rungs: 3, Outcome: "win", Reward: 1, Step: i % 5, Split: "train"})
		b.Write(append(row, '\n'))
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func loadState(t *testing.T, p string) *schedule.State {
	t.Helper()
	st, err := (&store.File{Path: p}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// checkMovedOnce checks that every sample in want is at pointer 1 with exactly one move
// in the history, and that the history holds nothing else.
func checkMovedOnce(t *testing.T, st *schedule.State, want []string) {
	t.Helper()
	moves := map[string]int{}
	for _, mv := range st.History {
		moves[mv.Sample]++
	}
	for _, s := range want {
		if ss := st.Samples[s]; ss == nil || ss.Pointer != 1 || moves[s] != 1 {
			t.Errorf("sample %s = %+v with %d moves, want pointer 1 moved once", s, ss, moves[s])
		}
	}
	if len(st.History) != len(want) || len(st.Samples) != len(want) {
		t.Errorf("%d moves of %d samples, want %d of %d", len(st.History), len(st.Samples), len(want), len(want))
	}
}

func samples(prefix string, n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("%s-%d", prefix, i))
	}
	return out
}

// TestAdvanceConcurrent: two advances at once on one state, 40 + 40 distinct labels,
// six times: every sample moves exactly once (the state was read before the lock: half
// the moves were lost).
func TestAdvanceConcurrent(t *testing.T) {
	for trial := range 6 {
		dir := t.TempDir()
		state := filepath.Join(dir, "state.json")
		files := []string{writeLabels(t, dir, "a.jsonl", "a", 40), writeLabels(t, dir, "b.jsonl", "b", 40)}
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, len(files))
		for i, f := range files {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = Advance(context.Background(), AdvanceOptions{Schedule: state, Labels: f, Output: state})
			}()
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		st := loadState(t, state)
		checkMovedOnce(t, st, append(samples("a", 40), samples("b", 40)...))
		if t.Failed() {
			t.Fatalf("trial %d lost or doubled moves", trial)
		}
	}
}

// TestAdvanceWithServe: serve's updates (schedule.Ladder.Observe on the same file) made
// while an advance runs are kept.
func TestAdvanceWithServe(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	labels := writeLabels(t, dir, "a.jsonl", "a", 40)
	var wg sync.WaitGroup
	wg.Add(1)
	serveErr := make(chan error, 1)
	go func() {
		defer wg.Done()
		l := &schedule.Ladder{Rule: schedule.Released, Store: &store.File{Path: state}}
		for i := range 40 {
			if _, err := l.Observe(context.Background(), schedule.Observation{Sample: fmt.Sprintf("s-%d", i), Rungs: 3, Outcome: rewards.Win}); err != nil {
				serveErr <- err
				return
			}
		}
	}()
	for range 4 { // the same labels again: only the first advance applies them
		if _, err := Advance(context.Background(), AdvanceOptions{Schedule: state, Labels: labels, Output: state}); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(serveErr)
	if err := <-serveErr; err != nil {
		t.Fatal(err)
	}
	checkMovedOnce(t, loadState(t, state), append(samples("a", 40), samples("s", 40)...))
}

// TestAdvanceTwice: the same labels applied twice move the ladders once; the second run
// reports 0 moves, 40 already applied, and leaves the state and its .prev as they were.
func TestAdvanceTwice(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	labels := writeLabels(t, dir, "a.jsonl", "a", 40)
	o := AdvanceOptions{Schedule: state, Labels: labels, Output: state}
	// a first generation, so that the first advance keeps it as .prev
	if err := os.WriteFile(state, []byte("{\"version\": 1, \"samples\": {}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gen0, _ := os.ReadFile(state)
	res, err := Advance(context.Background(), o)
	if err != nil || res.Moves != 40 || res.Applied != 0 {
		t.Fatalf("first advance = %v, %v; want 40 moves", res, err)
	}
	gen1, _ := os.ReadFile(state)
	if prev, _ := os.ReadFile(state + ".prev"); !bytes.Equal(prev, gen0) {
		t.Errorf(".prev = %q, want the generation before the advance %q", prev, gen0)
	}
	res, err = Advance(context.Background(), o)
	if err != nil || res.Moves != 0 || res.Applied != 40 || !strings.Contains(res.String(), "0 moves, 40 already applied") {
		t.Fatalf("second advance = %v, %v; want 0 moves, 40 already applied", res, err)
	}
	if b, _ := os.ReadFile(state); !bytes.Equal(b, gen1) {
		t.Errorf("the second advance rewrote the state")
	}
	if prev, _ := os.ReadFile(state + ".prev"); !bytes.Equal(prev, gen0) {
		t.Errorf("the second advance rotated .prev")
	}
	checkMovedOnce(t, loadState(t, state), samples("a", 40))
}

// TestAdvanceOtherOutput: with --output other than --schedule, the output is the schedule
// plus the labels and the schedule is untouched.
func TestAdvanceOtherOutput(t *testing.T) {
	dir := t.TempDir()
	sched, out := filepath.Join(dir, "s.json"), filepath.Join(dir, "out.json")
	if _, err := Advance(context.Background(), AdvanceOptions{Schedule: sched, Labels: writeLabels(t, dir, "a.jsonl", "a", 3), Output: sched}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(sched)
	res, err := Advance(context.Background(), AdvanceOptions{Schedule: sched, Labels: writeLabels(t, dir, "b.jsonl", "b", 2), Output: out})
	if err != nil || res.Moves != 2 {
		t.Fatalf("advance = %v, %v", res, err)
	}
	if after, _ := os.ReadFile(sched); !bytes.Equal(before, after) {
		t.Errorf("--schedule changed")
	}
	checkMovedOnce(t, loadState(t, out), append(samples("a", 3), samples("b", 2)...))
}

// TestAdvanceBadState: a state that cannot be trusted is refused with ErrBadState and left
// byte-identical, with no .prev and no output written.
func TestAdvanceBadState(t *testing.T) {
	bad := []struct{ name, data string }{
		{"0 bytes", ""},
		{"null", "null\n"},
		{"garbage", "{\"version\": 1, \"samples\": {\"a\""},
		{"pointer beyond its ladder", `{"version": 1, "samples": {"a-0": {"pointer": 7, "rungs": 3}}, "history": []}`},
		{"unknown version", `{"version": 9, "samples": {}, "history": []}`},
	}
	for _, tc := range bad {
		for _, other := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/other-output=%v", tc.name, other), func(t *testing.T) {
				dir := t.TempDir()
				state, out := filepath.Join(dir, "state.json"), filepath.Join(dir, "state.json")
				if other {
					out = filepath.Join(dir, "out.json")
				}
				if err := os.WriteFile(state, []byte(tc.data), 0o644); err != nil {
					t.Fatal(err)
				}
				start := time.Now()
				_, err := Advance(context.Background(), AdvanceOptions{Schedule: state, Labels: writeLabels(t, dir, "a.jsonl", "a", 5), Output: out})
				if !errors.Is(err, schedule.ErrBadState) {
					t.Fatalf("advance = %v, want ErrBadState", err)
				}
				if b, _ := os.ReadFile(state); !bytes.Equal(b, []byte(tc.data)) {
					t.Errorf("state = %q, want it untouched %q", b, tc.data)
				}
				for _, p := range []string{state + ".prev", out + ".prev", filepath.Join(dir, "out.json")} {
					if _, err := os.Stat(p); err == nil {
						t.Errorf("a refused advance wrote %s", p)
					}
				}
				if time.Since(start) > 5*time.Second {
					t.Errorf("refusal took %s", time.Since(start))
				}
			})
		}
	}
}
