package transforms

import (
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/graph"
)

// TestReadStageHasNoSideInput: the ParDo that reads the lines of a byte range (it runs
// as long as the job's main stage) takes no side input, and its ranges come from a
// shuffle, not straight from a ParDo that has one: prism fuses a ParDo with its
// producer, and its scheduler spins for as long as a bundle of a stage with a side input
// runs (30% of video score's CPU on 1M rows, docs/benchmarks.md).
func TestReadStageHasNoSideInput(t *testing.T) {
	p, s := beam.NewPipelineWithRoot()
	ReadLines(s, "in/*.jsonl", 0)
	edges, _, err := p.Build()
	if err != nil {
		t.Fatal(err)
	}
	producer := map[*graph.Node]*graph.MultiEdge{}
	for _, e := range edges {
		for _, out := range e.Output {
			producer[out.To] = e
		}
	}
	found := false
	for _, e := range edges {
		if e.Op != graph.ParDo || !strings.Contains(e.DoFn.Name(), "readRangeFn") {
			continue
		}
		found = true
		if len(e.Input) != 1 {
			t.Errorf("the range reader has %d inputs, want 1 (no side input)", len(e.Input))
		}
		if from := producer[e.Input[0].From]; from != nil && from.Op == graph.ParDo {
			t.Errorf("the range reader reads the output of ParDo %s, which it would be fused with; want a shuffle between", from.Name())
		}
	}
	if !found {
		t.Fatal("no readRangeFn in the pipeline")
	}
}
