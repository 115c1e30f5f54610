package store

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/schedule"
)

// bothStores returns a file store and a GCS store (on fake-gcs-server), each keeping .prev.
func bothStores(t *testing.T) map[string]func(name string) (schedule.Store, string) {
	fakeGCS(t)
	dir := t.TempDir()
	c := newClient(t)
	return map[string]func(string) (schedule.Store, string){
		"file": func(name string) (schedule.Store, string) {
			p := filepath.Join(dir, name)
			return &File{Path: p, KeepPrev: true}, p
		},
		"gcs": func(name string) (schedule.Store, string) {
			p := "gs://sched/" + name
			return &GCS{Client: c, Path: p, KeepPrev: true}, p
		},
	}
}

func put(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := blob.WriteAtomic(context.Background(), p, b); err != nil {
		t.Fatal(err)
	}
}

// TestBadStateUntouched: a 0-byte, null, unparsable or out-of-range state is refused with
// ErrBadState by Load and Update, fn never runs, and the state stays byte-identical with
// no .prev written.
func TestBadStateUntouched(t *testing.T) {
	ctx := context.Background()
	bad := []struct{ name, data string }{
		{"0 bytes", ""},
		{"null", "null"},
		{"garbage", "\x00\x01 not json {"},
		{"pointer beyond its ladder", `{"version": 1, "samples": {"a": {"pointer": 4, "rungs": 2}}, "history": []}`},
		{"unknown version", `{"version": 2, "samples": {}, "history": []}`},
	}
	for kind, open := range bothStores(t) {
		for i, tc := range bad {
			t.Run(kind+"/"+tc.name, func(t *testing.T) {
				s, p := open("bad" + string(rune('a'+i)) + ".json")
				put(t, p, []byte(tc.data))
				if _, err := s.Load(ctx); !errors.Is(err, schedule.ErrBadState) {
					t.Errorf("Load = %v, want ErrBadState", err)
				}
				ran := false
				err := s.Update(ctx, func(st *schedule.State) error { ran = true; return nil })
				if !errors.Is(err, schedule.ErrBadState) || ran {
					t.Errorf("Update = %v (fn ran %v), want ErrBadState before fn", err, ran)
				}
				if b, err := blob.ReadFile(ctx, p); err != nil || !bytes.Equal(b, []byte(tc.data)) {
					t.Errorf("state after refusal = %q, %v; want it byte-identical %q", b, err, tc.data)
				}
				if ok, _ := blob.Exists(ctx, p+".prev"); ok {
					t.Errorf("a refused update wrote %s.prev", p)
				}
			})
		}
	}
}

// TestKeepPrev: each update that changes the state keeps the generation it replaced as
// .prev; the first write (no previous generation) writes none; an update that changes
// nothing writes nothing.
func TestKeepPrev(t *testing.T) {
	ctx := context.Background()
	for kind, open := range bothStores(t) {
		t.Run(kind, func(t *testing.T) {
			s, p := open("prev.json")
			win := func(sample string) {
				t.Helper()
				err := s.Update(ctx, func(st *schedule.State) error {
					_, _, err := schedule.Released.Apply(st, schedule.Observation{Sample: sample, Rungs: 3, Outcome: rewards.Win}, t0)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			read := func(p string) []byte {
				t.Helper()
				b, err := blob.ReadFile(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			win("a")
			if ok, _ := blob.Exists(ctx, p+".prev"); ok {
				t.Errorf("the first write made %s.prev", p)
			}
			gen1 := read(p)
			win("b")
			gen2 := read(p)
			if prev := read(p + ".prev"); !bytes.Equal(prev, gen1) {
				t.Errorf(".prev = %s, want generation 1 %s", prev, gen1)
			}
			win("c")
			if prev := read(p + ".prev"); !bytes.Equal(prev, gen2) {
				t.Errorf(".prev = %s, want generation 2 %s", prev, gen2)
			}
			gen3 := read(p)
			if err := s.Update(ctx, func(*schedule.State) error { return nil }); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(read(p), gen3) || !bytes.Equal(read(p+".prev"), gen2) {
				t.Errorf("an update that changed nothing rewrote the state or .prev")
			}
		})
	}
}
