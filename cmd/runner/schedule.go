package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/rlcurate/rlcurate/internal/store"
	"github.com/rlcurate/rlcurate/schedule"
)

func init() {
	register(command{path: "schedule show", summary: "print a writing schedule's state as JSON (file, gs:// or postgres://)", setup: scheduleShow})
	register(command{path: "schedule copy", summary: "copy a writing schedule's state from one store to another", setup: scheduleCopy})
}

// scheduleShow prints the state at --schedule on stdout, in the file store's JSON shape
// (schedule.EncodeState), narrowed to one sample and its moves with --sample.
func scheduleShow(fs *flag.FlagSet) func(context.Context) error {
	var path, sample string
	f := flags{fs}
	f.String(&path, "schedule", "", "schedule state: a local file, gs://bucket/object or postgres://user@host/db URL")
	f.String(&sample, "sample", "", "print only this sample and its moves (an unknown sample is an error)")
	f.Required("schedule")
	return func(ctx context.Context) error {
		st, err := store.Load(ctx, path)
		if err != nil {
			return fmt.Errorf("schedule show: %w", err)
		}
		if sample != "" {
			if st, err = narrow(st, sample); err != nil {
				return fmt.Errorf("schedule show %s: %w", store.Redact(path), err)
			}
		}
		b, err := schedule.EncodeState(st)
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(b)
		return err
	}
}

// narrow returns the part of st about sample: its state and its moves.
func narrow(st *schedule.State, sample string) (*schedule.State, error) {
	s := st.Samples[sample]
	if s == nil {
		return nil, fmt.Errorf("no sample %q in the schedule (%d samples)", sample, len(st.Samples))
	}
	out := schedule.NewState()
	out.Samples[sample] = s
	for _, mv := range st.History {
		if mv.Sample == sample {
			out.History = append(out.History, mv)
		}
	}
	return out, nil
}

// scheduleCopy writes the state at --from to --to in one update of the destination,
// which must hold no schedule yet unless --force.
func scheduleCopy(fs *flag.FlagSet) func(context.Context) error {
	var from, to string
	var force bool
	f := flags{fs}
	f.String(&from, "from", "", "schedule state to copy: a local file, gs://bucket/object or postgres:// URL")
	f.String(&to, "to", "", "where to copy it (same forms); refused if it already holds samples, moves or request ids, unless --force")
	f.Bool(&force, "force", false, "replace a destination that already holds a schedule")
	f.Required("from", "to")
	return func(ctx context.Context) error {
		src, err := store.Load(ctx, from)
		if err != nil {
			return fmt.Errorf("schedule copy: %w", err)
		}
		dst, closeDst, err := store.Open(ctx, to)
		if err != nil {
			return fmt.Errorf("schedule copy: %w", err)
		}
		defer closeDst()
		err = dst.Update(ctx, func(st *schedule.State) error {
			if !force && !emptySchedule(st) {
				return fmt.Errorf("%s already holds a schedule (%s): pass --force to replace it", store.Redact(to), scheduleSummary(st))
			}
			*st = *src
			return nil
		})
		if err != nil {
			return fmt.Errorf("schedule copy: %w", err)
		}
		fmt.Printf("copied %s from %s to %s\n", scheduleSummary(src), store.Redact(from), store.Redact(to))
		return nil
	}
}

func emptySchedule(st *schedule.State) bool {
	return len(st.Samples) == 0 && len(st.History) == 0 && len(st.Requests) == 0
}

// scheduleSummary counts what a state holds: samples (and how many mastered), moves, label and
// request ids.
func scheduleSummary(st *schedule.State) string {
	mastered, labels := 0, 0
	for _, s := range st.Samples {
		labels += len(s.Labels)
		if s.Mastered() {
			mastered++
		}
	}
	return fmt.Sprintf("%d samples (%d mastered), %d moves, %d label ids, %d request ids",
		len(st.Samples), mastered, len(st.History), labels, len(st.Requests))
}

// isDatabase reports whether a --schedule value is a database URL (postgres://), which
// absPath must leave as it is.
func isDatabase(p string) bool { return store.IsPostgres(p) }
