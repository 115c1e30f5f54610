// Package pgtest starts a real PostgreSQL server for tests, from Debian's postgresql
// package (initdb and pg_ctl), in a temporary folder on a free loopback port.
package pgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Server is a running test server. URL reaches its postgres database as the superuser
// postgres (trust authentication, loopback only).
type Server struct {
	URL  string
	port int
	dbs  atomic.Int64
}

// Start initialises a cluster in a new temporary folder, starts it on a free port of
// 127.0.0.1 (its unix socket in the same folder) and stops it and removes the folder
// when the test ends. When the test runs as root, initdb and pg_ctl run as the user
// postgres (initdb refuses root). Missing binaries fail the test, naming the package.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := binDir()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	asUser, err := owner(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	if out, err := command(asUser, filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	port, err := start(asUser, bin, dir, data)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		command(asUser, filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop").Run()
	})
	return &Server{URL: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), port: port}
}

// Database creates a new, empty database on the server and returns its URL, so that
// the cases of one test share a server but not their tables.
func (s *Server) Database(t testing.TB) string {
	t.Helper()
	name := "t" + strconv.FormatInt(s.dbs.Add(1), 10)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, name)
}

// binDir finds the newest PostgreSQL server binaries Debian installed.
func binDir() (string, error) {
	if d := os.Getenv("PG_BIN"); d != "" {
		return d, nil
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(found) == 0 {
		return "", fmt.Errorf("pgtest: no /usr/lib/postgresql/*/bin/pg_ctl: install Debian's postgresql package (apt-get install postgresql), or set PG_BIN")
	}
	slices.SortFunc(found, func(a, b string) int { return version(b) - version(a) })
	return filepath.Dir(found[0]), nil
}

// version is the major version in /usr/lib/postgresql/<version>/bin/pg_ctl (0 if none).
func version(pgCtl string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(pgCtl))))
	return n
}

// owner returns the user the server must run as ("" for the current one) and gives it
// dir: root cannot run a server, so under root the folder goes to postgres.
func owner(dir string) (string, error) {
	if os.Geteuid() != 0 {
		return "", nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return "", fmt.Errorf("pgtest: running as root needs the user postgres (Debian's postgresql package creates it): %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return "", fmt.Errorf("pgtest: give %s to postgres: %w", dir, err)
	}
	return "postgres", nil
}

// command runs name as asUser (through runuser) or as the current user.
func command(asUser, name string, args ...string) *exec.Cmd {
	if asUser == "" {
		return exec.Command(name, args...)
	}
	return exec.Command("runuser", append([]string{"-u", asUser, "--", name}, args...)...)
}

// start runs pg_ctl start on a free port, retrying with another port if the one picked
// was taken in between, and returns the port.
func start(asUser, bin, dir, data string) (int, error) {
	var err error
	for range 3 {
		var port int
		if port, err = freePort(); err != nil {
			return 0, err
		}
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", port, dir)
		var out []byte
		out, err = command(asUser, filepath.Join(bin, "pg_ctl"), "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "-o", opts, "start").CombinedOutput()
		if err == nil {
			return port, nil
		}
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		err = fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	return 0, err
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
