package writing

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/transforms"
)

// TestCheckAndDedupe keeps the first row of every id by file, then line, across files,
// bundles and many sort runs, dead-letters the later copies ("duplicate id") and the
// rows that are not samples, as the GroupByKey it replaced did.
func TestCheckAndDedupe(t *testing.T) {
	beam.Init() // the package has no ptest.Main
	old := transforms.SpillBudget
	transforms.SpillBudget = 2048 // many runs
	defer func() { transforms.SpillBudget = old }()

	sample := func(id, policy string) string {
		return fmt.Sprintf(`{"id":%q,"prompt":"p","policy_response":%q,"references":["r"]}`, id, policy)
	}
	var lines, kept []transforms.Line
	var dead []layout.DeadLetter
	for i := range 200 {
		id := fmt.Sprintf("s%03d", i%80) // ids 0..79 appear up to 3 times
		for _, file := range []string{"b.jsonl", "a.jsonl"} {
			l := transforms.Line{File: file, Number: int64(1000 - i), Text: sample(id, file)}
			lines = append(lines, l)
		}
	}
	for _, l := range lines {
		// the first of an id: in a.jsonl (before b), at the lowest line, i.e. the highest i
		first := l.File == "a.jsonl" && l.Number == int64(1000-lastIndex(l.Text, 200, 80))
		if first {
			kept = append(kept, l)
		} else {
			dead = append(dead, layout.DeadLetter{File: l.File, Line: l.Number, ID: ParseID([]byte(l.Text)), Stage: "dedupe", Reason: ReasonDuplicate, Record: l.Text})
		}
	}
	bad := transforms.Line{File: "a.jsonl", Number: 5000, Text: `{"id":"z"}`}
	lines = append(lines, bad)
	_, err := ParseSample([]byte(bad.Text))
	dead = append(dead, layout.DeadLetter{File: bad.File, Line: bad.Number, ID: "z", Stage: "parse", Reason: err.Error(), Record: bad.Text})

	p, s := beam.NewPipelineWithRoot()
	in := beam.Reshuffle(s, beam.CreateList(s, lines))
	prefix := filepath.Join(t.TempDir(), "out")
	gotKept, gotDead := CheckAndDedupe(s, prefix, in)
	passert.Equals(s, gotKept, toAny(kept)...)
	passert.Equals(s, gotDead, toAny(dead)...)
	if err := ptest.Run(p); err != nil {
		t.Fatal(err)
	}
	checkRunsRemoved(t, filepath.Join(prefix, layout.DataOutput))
}

// checkRunsRemoved fails when a sort run is left in dir once the job is done.
func checkRunsRemoved(t *testing.T, dir string) {
	t.Helper()
	left, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(left) > 0 {
		t.Errorf("left in %s after the job: %v %v", dir, left, err)
	}
}

// lastIndex returns the largest i < n with i%ids equal to the id number in text.
func lastIndex(text string, n, ids int) int {
	var k int
	fmt.Sscanf(ParseID([]byte(text)), "s%03d", &k)
	last := k
	for i := k; i < n; i += ids {
		last = i
	}
	return last
}

func toAny[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
