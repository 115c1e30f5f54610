package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rlcurate/rlcurate/schedule"
)

// Postgres keeps the state in PostgreSQL tables (see schemaDDL): one row per sample, the
// applied label and request ids, and the move history. Every Update is one transaction
// that first locks the schedule's head row (SELECT ... FOR UPDATE), then reads the state,
// applies fn and writes only the rows fn changed, so any number of serve replicas and
// writing advance jobs share one database and lose no update. Load reads one consistent
// snapshot without locking. Several schedules can share a server in separate databases
// or schemas (?search_path=NAME in the URL). Move times are kept to the microsecond.
type Postgres struct {
	// Pool reaches the database; the store does not close it.
	Pool *pgxpool.Pool
	// Name is the URL with its password hidden, for errors.
	Name string

	mu    sync.Mutex
	cache *schedule.State // the state at generation gen, or nil
	gen   int64
}

// IsPostgres reports whether path is a postgres:// or postgresql:// URL.
func IsPostgres(path string) bool {
	return strings.HasPrefix(path, "postgres://") || strings.HasPrefix(path, "postgresql://")
}

// Redact returns path with the password of a URL replaced by "xxxxx" (path itself when
// it has none), for logs and errors.
func Redact(path string) string {
	u, err := url.Parse(path)
	if err != nil || u.User == nil {
		if err != nil && strings.Contains(path, "@") {
			return "(unparsable URL)"
		}
		return path
	}
	return u.Redacted()
}

// OpenPostgres connects a pool to the database at rawURL and creates the schedule's
// tables there if they are not yet (idempotently, under an advisory lock). Errors name
// the URL without its password.
func OpenPostgres(ctx context.Context, rawURL string) (*Postgres, error) {
	name := Redact(rawURL)
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("schedule %s: bad URL", name) // pgx's message may quote the password
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("schedule %s: %w", name, err)
	}
	if err := ensureSchema(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("schedule %s: %w", name, err)
	}
	return &Postgres{Pool: pool, Name: name}, nil
}

// Load reads the state in one read-only snapshot (an empty state if no sample, move or
// request was ever stored). A stored state that breaks the rules (State.Validate) is an
// error wrapping schedule.ErrBadState.
func (p *Postgres) Load(ctx context.Context) (*schedule.State, error) {
	var st *schedule.State
	err := pgx.BeginTxFunc(ctx, p.Pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var gen int64
		if err := tx.QueryRow(ctx, `SELECT generation FROM schedule_head WHERE id = 1`).Scan(&gen); err != nil {
			return err
		}
		var err error
		st, err = p.stateAt(ctx, tx, gen)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", p.Name, err)
	}
	return st, nil
}

// Update runs one transaction: it locks the head row, reads the state, applies fn and
// writes what fn changed (nothing at all when fn changed nothing).
func (p *Postgres) Update(ctx context.Context, fn func(*schedule.State) error) error {
	var (
		fnErr   error
		written *schedule.State // the state committed at generation gen+1, if any
		gen     int64
	)
	err := pgx.BeginFunc(ctx, p.Pool, func(tx pgx.Tx) error {
		written = nil // BeginFunc does not retry, but stay exact
		if err := tx.QueryRow(ctx, `SELECT generation FROM schedule_head WHERE id = 1 FOR UPDATE`).Scan(&gen); err != nil {
			return err
		}
		old, err := p.stateAt(ctx, tx, gen)
		if err != nil {
			return err
		}
		st := cloneState(old)
		if fnErr = fn(st); fnErr != nil {
			return fnErr
		}
		changed, err := writeChanges(ctx, tx, old, st)
		if err != nil || !changed {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE schedule_head SET generation = $1 WHERE id = 1`, gen+1); err != nil {
			return err
		}
		written = st
		return nil
	})
	switch {
	case fnErr != nil && errors.Is(err, fnErr):
		return fnErr
	case err != nil:
		return fmt.Errorf("update %s: %w", p.Name, err)
	case written != nil:
		p.remember(written, gen+1) // only once committed: see stateAt
	}
	return nil
}

// stateAt returns the state at generation gen: a copy of the one this store last wrote
// or read when it is still current, else read from the tables (and remembered). Every
// committed change bumps the generation, so an equal generation means the same rows;
// the cache is remembered only after its commit succeeded, since a failed commit's
// generation is later committed by another writer with other rows.
func (p *Postgres) stateAt(ctx context.Context, q pgx.Tx, gen int64) (*schedule.State, error) {
	p.mu.Lock()
	cached, cgen := p.cache, p.gen
	p.mu.Unlock()
	if cached != nil && cgen == gen {
		return cloneState(cached), nil
	}
	st, err := readState(ctx, q)
	if err != nil {
		return nil, err
	}
	p.remember(st, gen)
	return cloneState(st), nil
}

func (p *Postgres) remember(st *schedule.State, gen int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cache, p.gen = cloneState(st), gen
}
