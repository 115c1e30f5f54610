package transforms

import (
	"fmt"
	"net"
	"os"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/fsouza/fake-gcs-server/fakestorage"
)

// gcs is the fake-gcs-server every test of this package shares; it runs in process and
// STORAGE_EMULATOR_HOST points Beam's and blob's GCS clients at it.
var gcs *fakestorage.Server

const testBucket = "rlcurate-test"

func TestMain(m *testing.M) {
	srv, err := startGCS()
	if err != nil {
		fmt.Fprintln(os.Stderr, "start fake-gcs-server:", err)
		os.Exit(1)
	}
	gcs = srv
	ptest.Main(m)
}

func startGCS() (*fakestorage.Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{
		Scheme:     "http",
		Host:       "127.0.0.1",
		Port:       uint16(port),
		PublicHost: fmt.Sprintf("127.0.0.1:%d", port), // reads fail unless it equals the listen address
	})
	if err != nil {
		return nil, err
	}
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: testBucket})
	os.Setenv("STORAGE_EMULATOR_HOST", fmt.Sprintf("127.0.0.1:%d", port))
	return srv, nil
}
