package transforms

import (
	"fmt"
	"os"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/fsouza/fake-gcs-server/fakestorage"
	"github.com/rlcurate/rlcurate/internal/gcstest"
)

// gcs is the fake-gcs-server every test of this package shares; it runs in process and
// STORAGE_EMULATOR_HOST points Beam's and blob's GCS clients at it.
var gcs *fakestorage.Server

const testBucket = "rlcurate-test"

func TestMain(m *testing.M) {
	srv, host, err := gcstest.Start(testBucket)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	gcs = srv
	os.Setenv("STORAGE_EMULATOR_HOST", host)
	ptest.Main(m)
}
