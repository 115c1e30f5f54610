package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rlcurate/rlcurate/schedule"
)

// SchemaVersion is the version of the tables Postgres keeps a schedule in. A database
// whose schedule_schema_version holds a newer one is refused (schedule.ErrBadState).
const SchemaVersion = 1

// schemaLock is the pg_advisory_xact_lock key held while the tables are created, so
// that replicas starting at the same moment do not race on CREATE TABLE.
const schemaLock = 0x726c63757261 // "rlcura"

// schemaDDL creates the schedule's tables. schedule_head has one row, locked by every
// update (so updates of one schedule run one at a time) and counting them in
// generation; one row per sample holds its ladder, pointer and recent outcomes (the
// k-of-n window); label and request ids and the move history keep their order in seq.
var schemaDDL = []string{
	`CREATE TABLE IF NOT EXISTS schedule_schema_version (version integer PRIMARY KEY)`,
	`CREATE TABLE IF NOT EXISTS schedule_head (
		id integer PRIMARY KEY CHECK (id = 1),
		generation bigint NOT NULL DEFAULT 0)`,
	`INSERT INTO schedule_head (id) VALUES (1) ON CONFLICT (id) DO NOTHING`,
	`CREATE TABLE IF NOT EXISTS schedule_samples (
		sample text PRIMARY KEY,
		rungs integer NOT NULL,
		pointer integer NOT NULL,
		recent text[] NOT NULL DEFAULT '{}',
		mastered boolean GENERATED ALWAYS AS (pointer >= rungs) STORED)`,
	`CREATE TABLE IF NOT EXISTS schedule_labels (
		sample text NOT NULL,
		label text NOT NULL,
		seq bigserial,
		PRIMARY KEY (sample, label))`,
	`CREATE TABLE IF NOT EXISTS schedule_requests (
		seq bigserial PRIMARY KEY,
		request text NOT NULL UNIQUE)`,
	`CREATE TABLE IF NOT EXISTS schedule_moves (
		seq bigserial PRIMARY KEY,
		sample text NOT NULL,
		from_pointer integer NOT NULL,
		to_pointer integer NOT NULL,
		step bigint NOT NULL,
		at timestamptz NOT NULL,
		reason text NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS schedule_moves_sample ON schedule_moves (sample)`,
}

// ensureSchema creates the tables unless they are there at SchemaVersion already, under
// an advisory lock, in one transaction; a newer schema version is refused.
func ensureSchema(ctx context.Context, pool *pgxpool.Pool) error {
	v, err := schemaVersion(ctx, pool)
	if err != nil || v == SchemaVersion {
		return err
	}
	if v > SchemaVersion {
		return fmt.Errorf("%w: schema version %d (this runner knows version %d)", schedule.ErrBadState, v, SchemaVersion)
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(schemaLock)); err != nil {
			return fmt.Errorf("lock the schema: %w", err)
		}
		for _, ddl := range schemaDDL {
			if _, err := tx.Exec(ctx, ddl); err != nil {
				return fmt.Errorf("create the schedule tables: %w", err)
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO schedule_schema_version (version) VALUES ($1) ON CONFLICT DO NOTHING`, SchemaVersion)
		return err
	})
}

// schemaVersion returns the highest schema version recorded (0 when there are no tables
// yet), without writing anything.
func schemaVersion(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	var exists bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass('schedule_schema_version') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, err
	}
	if !exists {
		return 0, nil
	}
	var v int
	err := pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schedule_schema_version`).Scan(&v)
	return v, err
}
