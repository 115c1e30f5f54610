// Package gcstest starts fake-gcs-server in process, for tests that read and write gs://
// through the real storage client.
package gcstest

import (
	"fmt"
	"net"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"
)

// Start starts an emulator on a free loopback port holding the given (empty) buckets, and
// returns it with its host:port, the value for STORAGE_EMULATOR_HOST. Its PublicHost
// equals the address it listens on: reads fail otherwise.
func Start(buckets ...string) (*fakestorage.Server, string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	host := fmt.Sprintf("127.0.0.1:%d", port)
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{
		Scheme: "http", Host: "127.0.0.1", Port: uint16(port), PublicHost: host,
	})
	if err != nil {
		return nil, "", fmt.Errorf("start fake-gcs-server: %w", err)
	}
	for _, b := range buckets {
		srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: b})
	}
	return srv, host, nil
}

// StartT is Start for one test: it fails the test if the emulator cannot start and stops
// it when the test ends. Callers that use package blob or storage.NewClient point them at
// it with t.Setenv("STORAGE_EMULATOR_HOST", host).
func StartT(t testing.TB, buckets ...string) (*fakestorage.Server, string) {
	t.Helper()
	srv, host, err := Start(buckets...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return srv, host
}
