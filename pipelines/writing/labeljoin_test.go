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

// TestJoinRollouts joins rollouts with their samples by sample id through the sort-merge
// join, across many sort runs: every rollout of a known sample is paired with the
// sample's row (the smallest row when an id is given twice), the rollouts of unknown
// samples are dead letters, as the CoGroupByKey it replaced did.
func TestJoinRollouts(t *testing.T) {
	beam.Init() // the package has no ptest.Main
	old := transforms.SpillBudget
	transforms.SpillBudget = 1024 // many runs
	defer func() { transforms.SpillBudget = old }()

	var samples, rollouts []transforms.Line
	sampleRow := map[string]string{}
	for i := range 30 {
		id := fmt.Sprintf("s%02d", i)
		row := fmt.Sprintf(`{"id":%q,"prompt":"p%d"}`, id, i)
		samples = append(samples, transforms.Line{File: "samples.jsonl", Number: int64(i + 1), Text: row})
		sampleRow[id] = row
		if i%10 == 0 { // given twice: the smaller row is used
			other := fmt.Sprintf(`{"id":%q,"prompt":"a%d"}`, id, i)
			samples = append(samples, transforms.Line{File: "samples2.jsonl", Number: 1, Text: other})
			sampleRow[id] = other
		}
	}
	samples = append(samples, transforms.Line{File: "samples.jsonl", Number: 99, Text: `{"prompt":"no id"}`})
	var pending []Pending
	var dead []layout.DeadLetter
	for i := range 150 {
		sid := fmt.Sprintf("s%02d", i%40) // s30..s39 are unknown
		l := transforms.Line{File: "rollouts.jsonl", Number: int64(i + 1),
			Text: fmt.Sprintf(`{"id":"r%03d","sample_id":%q,"step":1,"response":"x"}`, i, sid)}
		rollouts = append(rollouts, l)
		if row, ok := sampleRow[sid]; ok {
			pending = append(pending, Pending{Rollout: l, Sample: row})
		} else {
			dead = append(dead, layout.DeadLetter{File: l.File, Line: l.Number, ID: fmt.Sprintf("r%03d", i), Stage: "join", Reason: "unknown sample_id " + sid, Record: l.Text})
		}
	}

	p, s := beam.NewPipelineWithRoot()
	keyedSamples := beam.ParDo(s, keySampleRow, beam.CreateList(s, samples))
	keyedRollouts, bad := beam.ParDo2(s, keyRollout, beam.Reshuffle(s, beam.CreateList(s, rollouts)))
	dir := filepath.Join(t.TempDir(), "data")
	cfg := transforms.Sort{Dir: dir, Name: "join", Buckets: transforms.AutoShardBuckets, Parts: 3}
	parts, runs := transforms.SortEntries(s, cfg, keyedSamples, keyedRollouts)
	joined, unknown, merged := beam.ParDo3(s, &joinRolloutsFn{}, parts)
	transforms.RemoveRuns(s, runs, merged)
	passert.Equals(s, joined, toAny(pending)...)
	passert.Equals(s, unknown, toAny(dead)...)
	passert.Empty(s, bad)
	passert.Count(s, merged, "parts merged", 3)
	if err := ptest.Run(p); err != nil {
		t.Fatal(err)
	}
	checkRunsRemoved(t, dir)
}
