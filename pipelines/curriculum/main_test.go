package curriculum

import (
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
)

// TestMain initialises Beam (ptest.Main): the tests that run a mix on prism need the
// registered DoFns in the loopback worker.
func TestMain(m *testing.M) {
	ptest.Main(m)
}
