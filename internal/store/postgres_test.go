package store

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/rlcurate/rlcurate/internal/pgtest"
	"github.com/rlcurate/rlcurate/schedule"
)

// TestPostgresReplicasStartTogether: replicas that open a fresh database at the same
// moment all succeed and leave one schema version.
func TestPostgresReplicasStartTogether(t *testing.T) {
	url := pgtest.Start(t).Database(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			p, err := OpenPostgres(context.Background(), url)
			if err == nil {
				p.Pool.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n, v int
	if err := query(t, url, `SELECT count(*), max(version) FROM schedule_schema_version`, &n, &v); err != nil || n != 1 || v != SchemaVersion {
		t.Fatalf("schema versions: %d rows, max %d, %v; want one row %d", n, v, err, SchemaVersion)
	}
}

// TestPostgresRows: the tables say what the state says, for SQL readers (mastered).
func TestPostgresRows(t *testing.T) {
	url := pgtest.Start(t).Database(t)
	p, err := OpenPostgres(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Pool.Close()
	observe(t, p, schedule.Released, 1, win("m", 1), win("n", 2))
	var mastered, notMastered, moves int
	if err := query(t, url, `SELECT count(*) FILTER (WHERE mastered), count(*) FILTER (WHERE NOT mastered), (SELECT count(*) FROM schedule_moves) FROM schedule_samples`, &mastered, &notMastered, &moves); err != nil {
		t.Fatal(err)
	}
	if mastered != 1 || notMastered != 1 || moves != 2 {
		t.Fatalf("mastered %d, not %d, moves %d; want 1, 1, 2", mastered, notMastered, moves)
	}
}

// TestPostgresNewerSchema: a database written by a newer runner is refused.
func TestPostgresNewerSchema(t *testing.T) {
	url := pgtest.Start(t).Database(t)
	p, err := OpenPostgres(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	p.Pool.Close()
	if err := query(t, url, `INSERT INTO schedule_schema_version VALUES (99) RETURNING version`, new(int)); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenPostgres(context.Background(), url); !errors.Is(err, schedule.ErrBadState) {
		t.Fatalf("OpenPostgres on schema 99 = %v, want ErrBadState", err)
	}
}

// TestPostgresErrorsHidePassword: no error names the URL's password.
func TestPostgresErrorsHidePassword(t *testing.T) {
	for _, url := range []string{
		"postgres://u:s3cret@127.0.0.1:1/db?connect_timeout=2", // nothing listens on port 1
		"postgresql://u:s3cret@127.0.0.1:1/db?sslmode=bogus",
		"postgres://u:s3cret@[::1/db",
	} {
		_, closeFn, err := Open(context.Background(), url)
		if err == nil {
			closeFn()
			t.Fatalf("Open(%s) succeeded", url)
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Open error shows the password: %v", err)
		}
	}
	for in, want := range map[string]string{
		"postgres://u:s3cret@h/db":  "postgres://u:xxxxx@h/db",
		"postgres://u@h/db":         "postgres://u@h/db",
		"/tmp/schedule.json":        "/tmp/schedule.json",
		"postgres://u:s3cret@[::1/": "(unparsable URL)",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// query runs one SQL statement and scans its row into dst.
func query(t *testing.T, url, sql string, dst ...any) error {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.QueryRow(ctx, sql).Scan(dst...)
}
