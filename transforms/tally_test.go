package transforms

import (
	"fmt"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"
)

// TestTallyPerBundle checks that Tally's sums are exact and that it emits partial counts
// per bundle, not one element per row: the runner must not move a count for every row.
func TestTallyPerBundle(t *testing.T) {
	const rows = 20000
	in := make([]int, rows)
	for i := range in {
		in[i] = i
	}
	p, s := beam.NewPipelineWithRoot()
	col := beam.CreateList(s, in)
	tallies := Tally(s, "read", col)
	sums := SumTallies(s, tallies, Tally(s.Scope("empty"), "filtered", beam.CreateList(s, []int{})))
	passert.Equals(s, beam.ParDo(s, formatTally, sums), "read=20000")
	// One partial count per bundle: far fewer than the rows (the old tally emitted 20000).
	passert.Equals(s, beam.ParDo(s, fewerThan200, stats.Sum(s, beam.ParDo(s, oneOf, tallies))), true)
	if err := ptest.Run(p); err != nil {
		t.Fatal(err)
	}
}

func formatTally(name string, n int64) string { return fmt.Sprintf("%s=%d", name, n) }

// fewerThan200 tells whether n partial counts are at least one and far fewer than the rows.
func fewerThan200(n int) bool { return n > 0 && n < 200 }

// oneOf maps a partial count to 1, to count the partial counts.
func oneOf(string, int64) int { return 1 }

func init() {
	register.Function2x1(formatTally)
	register.Function2x1(oneOf)
	register.Function1x1(fewerThan200)
}
