package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rlcurate/rlcurate/schedule"
)

// readState reads the whole state from the tables, in tx's snapshot, and checks it.
func readState(ctx context.Context, tx pgx.Tx) (*schedule.State, error) {
	st := schedule.NewState()
	var (
		id            string
		s             schedule.SampleState
		label, reason string
		mv            schedule.Move
	)
	rows, _ := tx.Query(ctx, `SELECT sample, rungs, pointer, recent FROM schedule_samples`)
	if _, err := pgx.ForEachRow(rows, []any{&id, &s.Rungs, &s.Pointer, &s.Recent}, func() error {
		c := s
		c.Recent = nilIfEmpty(s.Recent)
		st.Samples[id] = &c
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read samples: %w", err)
	}
	rows, _ = tx.Query(ctx, `SELECT sample, label FROM schedule_labels ORDER BY seq`)
	if _, err := pgx.ForEachRow(rows, []any{&id, &label}, func() error {
		if st.Samples[id] == nil {
			return fmt.Errorf("%w: label %q of sample %q, which has no row", schedule.ErrBadState, label, id)
		}
		st.Samples[id].Labels = append(st.Samples[id].Labels, label)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	rows, _ = tx.Query(ctx, `SELECT request FROM schedule_requests ORDER BY seq`)
	if _, err := pgx.ForEachRow(rows, []any{&id}, func() error {
		st.Requests = append(st.Requests, id)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read requests: %w", err)
	}
	rows, _ = tx.Query(ctx, `SELECT sample, from_pointer, to_pointer, step, at, reason FROM schedule_moves ORDER BY seq`)
	if _, err := pgx.ForEachRow(rows, []any{&mv.Sample, &mv.From, &mv.To, &mv.Step, &mv.Time, &reason}, func() error {
		mv.Time, mv.Reason = mv.Time.UTC(), reason
		st.History = append(st.History, mv)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read moves: %w", err)
	}
	return st, st.Validate()
}

// writeChanges queues the statements that turn the rows of old into those of st, in
// one batch of tx, and reports whether there was any. A state that breaks the rules
// (State.Validate) is refused, as Load would refuse it.
func writeChanges(ctx context.Context, tx pgx.Tx, old, st *schedule.State) (bool, error) {
	if err := st.Validate(); err != nil {
		return false, err
	}
	b := &pgx.Batch{}
	queueSamples(b, old, st)
	queueRequests(b, old.Requests, st.Requests)
	queueMoves(b, old.History, st.History)
	if b.Len() == 0 {
		return false, nil
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return false, fmt.Errorf("write the changes: %w", err)
	}
	return true, nil
}

// queueSamples upserts the samples whose place changed, adds and removes label ids, and
// deletes the samples st no longer has.
func queueSamples(b *pgx.Batch, old, st *schedule.State) {
	for _, id := range slices.Sorted(maps.Keys(st.Samples)) { // a fixed order: no deadlock between writers
		s, o := st.Samples[id], old.Samples[id]
		if o == nil {
			o = &schedule.SampleState{Pointer: -1}
		}
		if o.Pointer != s.Pointer || o.Rungs != s.Rungs || !slices.Equal(o.Recent, s.Recent) {
			b.Queue(`INSERT INTO schedule_samples (sample, rungs, pointer, recent) VALUES ($1, $2, $3, $4)
				ON CONFLICT (sample) DO UPDATE SET rungs = excluded.rungs, pointer = excluded.pointer, recent = excluded.recent`,
				id, s.Rungs, s.Pointer, append([]string{}, s.Recent...))
		}
		if added := missing(s.Labels, o.Labels); len(added) > 0 {
			b.Queue(`INSERT INTO schedule_labels (sample, label) SELECT $1, l FROM unnest($2::text[]) WITH ORDINALITY AS u(l, n) ORDER BY n`, id, added)
		}
		if gone := missing(o.Labels, s.Labels); len(gone) > 0 {
			b.Queue(`DELETE FROM schedule_labels WHERE sample = $1 AND label = ANY($2)`, id, gone)
		}
	}
	var gone []string
	for id := range old.Samples {
		if st.Samples[id] == nil {
			gone = append(gone, id)
		}
	}
	if len(gone) > 0 {
		b.Queue(`DELETE FROM schedule_labels WHERE sample = ANY($1)`, gone)
		b.Queue(`DELETE FROM schedule_samples WHERE sample = ANY($1)`, gone)
	}
}

// queueRequests adds the request ids st has and old had not (in order) and removes
// those it forgot.
func queueRequests(b *pgx.Batch, old, now []string) {
	if gone := missing(old, now); len(gone) > 0 {
		b.Queue(`DELETE FROM schedule_requests WHERE request = ANY($1)`, gone)
	}
	if added := missing(now, old); len(added) > 0 {
		b.Queue(`INSERT INTO schedule_requests (request) SELECT r FROM unnest($1::text[]) WITH ORDINALITY AS u(r, n) ORDER BY n`, added)
	}
}

// queueMoves appends the moves st added to the history; a history that was not only
// appended to (a state replaced as a whole) is rewritten.
func queueMoves(b *pgx.Batch, old, now []schedule.Move) {
	from := len(old)
	if len(now) < len(old) || !slices.EqualFunc(old, now[:len(old)], sameMove) {
		b.Queue(`DELETE FROM schedule_moves`)
		from = 0
	}
	for i := from; i < len(now); i++ {
		m := now[i]
		now[i].Time = m.Time.UTC().Truncate(time.Microsecond) // what the column keeps
		b.Queue(`INSERT INTO schedule_moves (sample, from_pointer, to_pointer, step, at, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
			m.Sample, m.From, m.To, m.Step, now[i].Time, m.Reason)
	}
}

func sameMove(a, b schedule.Move) bool {
	return a.Sample == b.Sample && a.From == b.From && a.To == b.To && a.Step == b.Step && a.Reason == b.Reason && a.Time.Equal(b.Time)
}

// missing returns the ids of xs that are not in ys, in xs's order.
func missing(xs, ys []string) []string {
	in := make(map[string]bool, len(ys))
	for _, y := range ys {
		in[y] = true
	}
	var out []string
	for _, x := range xs {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

func nilIfEmpty(xs []string) []string {
	if len(xs) == 0 {
		return nil
	}
	return slices.Clone(xs)
}

// cloneState returns a deep copy of st.
func cloneState(st *schedule.State) *schedule.State {
	c := &schedule.State{Version: st.Version, Samples: make(map[string]*schedule.SampleState, len(st.Samples)),
		History: slices.Clone(st.History), Requests: slices.Clone(st.Requests)}
	for id, s := range st.Samples {
		if s == nil {
			c.Samples[id] = nil
			continue
		}
		cs := *s
		cs.Recent, cs.Labels = slices.Clone(s.Recent), slices.Clone(s.Labels)
		c.Samples[id] = &cs
	}
	return c
}
