package curriculum

import (
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/graph"
)

// TestReadAllFlattensNoLines: curriculum's reader of several paths (difficulty's
// --rollouts and --samples) lists their files together; no Flatten carries lines, which
// prism would hold whole.
func TestReadAllFlattensNoLines(t *testing.T) {
	p, s := beam.NewPipelineWithRoot()
	ReadAll(s, "a/*.jsonl, b/*.jsonl,c.jsonl", 0)
	edges, _, err := p.Build()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edges {
		if e.Op == graph.Flatten {
			t.Errorf("a Flatten of %v in %s", e.Output[0].To.Type(), e.Name())
		}
	}
}
