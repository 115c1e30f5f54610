package video

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/graph"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/rlcurate/rlcurate/internal/annotations"
	"github.com/rlcurate/rlcurate/internal/media/mediatest"
	"github.com/rlcurate/rlcurate/transforms"
)

// testBuildOptions returns the options of a video build of the annotations at input
// into prefix, with grounding's default instructions.
func testBuildOptions(t *testing.T, input string, format annotations.Format, videos, prefix string) BuildOptions {
	t.Helper()
	ins, err := LoadInstructions(context.Background(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	return BuildOptions{Annotations: input, Format: format, Videos: videos, Output: prefix,
		Ratio: annotations.Ratio{Phase1: 1, Phase2: 1}, Instructions: ins, OutputFormat: "jsonl", Shards: 2}
}

// TestBuildShufflesNoRows builds the video build's graph for every annotation format and
// fails on any GroupByKey or Reshuffle whose elements are rows (annotation records,
// samples, rows): prism holds a shuffle's whole input in memory, so the job's memory
// would grow with its input. Allowed are shuffles of small records: sort parts,
// the file names and byte ranges of the readers, and the inputs of lifted combines
// (one accumulator per key and bundle).
func TestBuildShufflesNoRows(t *testing.T) {
	allowed := func(op graph.Opcode, scope, elem string) bool {
		switch {
		case op == graph.CoGBK:
			return strings.HasSuffix(scope, "/CombinePerKey")
		case elem == "transforms.Part", elem == "transforms.byteRange", elem == "video.etFile":
			return true
		}
		return elem == "string" && strings.HasSuffix(scope, "/ReadLines") // the files of a glob
	}
	for _, format := range []annotations.Format{annotations.FormatCharades, annotations.FormatMuseg, annotations.FormatETInstruct} {
		t.Run(string(format), func(t *testing.T) {
			dir := t.TempDir()
			input, prefix := filepath.Join(dir, "annotations"), filepath.Join(dir, "out")
			p, s := beam.NewPipelineWithRoot()
			job := transforms.Job{Name: "video build", Prefix: prefix, Input: input, Limit: 3}
			if err := Build(s, job, testBuildOptions(t, input, format, dir, prefix)); err != nil {
				t.Fatal(err)
			}
			edges, _, err := p.Build()
			if err != nil {
				t.Fatal(err)
			}
			shuffles := 0
			for _, e := range edges {
				if e.Op != graph.CoGBK && e.Op != graph.Reshuffle {
					continue
				}
				shuffles++
				for _, in := range e.Input {
					if elem := fmt.Sprint(in.From.Type()); !allowed(e.Op, e.Scope().String(), elem) {
						t.Errorf("%s of %s in %s: a shuffle of rows", e.Op, elem, e.Scope())
					}
				}
			}
			if shuffles == 0 {
				t.Errorf("no shuffle found in the graph: the check sees nothing")
			}
		})
	}
}

// etElement is one E.T. Instruct element: a tvg question about event n in video.
func etElement(video string, n int) map[string]any {
	return map[string]any{"task": "tvg", "source": "didemo", "video": video, "duration": 2.0,
		"tgt": []float64{0.1 * float64(n), 0.1*float64(n) + 0.5},
		"conversations": []map[string]string{
			{"from": "human", "value": "<image>\nLocalize 'event " + string(rune('a'+n)) + "' in the video."},
			{"from": "gpt", "value": "..."}}}
}

// writeET writes an E.T. Instruct list of the elements with the given event numbers, one
// per line, followed by tail (a broken element, or nothing).
func writeET(t *testing.T, path, video string, events []int, tail string) {
	t.Helper()
	var lines []string
	for _, n := range events {
		b, err := json.Marshal(etElement(video, n))
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(b))
	}
	text := "[" + strings.Join(lines, ",\n") + tail
	if tail == "" {
		text += "]"
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readQueries returns the sorted queries of the rows under PREFIX/data/.
func readQueries(t *testing.T, prefix string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(prefix, "data", "*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if line == "" {
				continue
			}
			var r struct {
				Query string `json:"query"`
			}
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			qs = append(qs, r.Query)
		}
	}
	slices.Sort(qs)
	return qs
}

func readTestManifest(t *testing.T, prefix string) map[string]int64 {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(prefix, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Counts map[string]int64 `json:"counts"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m.Counts
}

// TestBuildETLimit runs video build on E.T. Instruct lists of a real video on prism with
// --limit (job.Limit; job.Cuts as the runner sets them): only the first Limit records
// (elements, in file order across the files; a list that breaks off counts as one) are
// read, so the rows are those of the first elements and the manifest's read count is
// the limit. The sort by video spills many runs (a tiny budget), none left behind.
func TestBuildETLimit(t *testing.T) {
	beam.Init() // the package has no ptest.Main
	old := transforms.SpillBudget
	transforms.SpillBudget = 2048
	defer func() { transforms.SpillBudget = old }()
	v := mediatest.MPEG4(t) // 50 frames, 25 fps: 2 s
	videos, name := filepath.Dir(v.Path), filepath.Base(v.Path)
	tests := []struct {
		name       string
		files      map[string][]int // file -> the events of its elements
		broken     string           // a file whose list breaks off after its elements
		limit      int64
		want       []int // the events of the rows written
		read, dead int64
	}{
		{name: "first 3 of 5", files: map[string][]int{"a.json": {0, 1, 2, 3, 4}}, limit: 3, want: []int{0, 1, 2}, read: 3},
		{name: "across files", files: map[string][]int{"a.json": {0, 1}, "b.json": {2, 3, 4}}, limit: 3, want: []int{0, 1, 2}, read: 3},
		{name: "a broken list counts once", files: map[string][]int{"a.json": {0}, "b.json": {2, 3, 4}}, broken: "a.json",
			limit: 3, want: []int{0, 2}, read: 3, dead: 1},
		{name: "limit beyond the input", files: map[string][]int{"a.json": {0, 1}}, limit: 10, want: []int{0, 1}, read: 2},
		{name: "no limit", files: map[string][]int{"a.json": {0, 1, 2, 3, 4}}, want: []int{0, 1, 2, 3, 4}, read: 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for f, events := range tc.files {
				tail := ""
				if f == tc.broken {
					tail = `, {"task": "tvg", "video": `
				}
				writeET(t, filepath.Join(dir, f), name, events, tail)
			}
			input, prefix := filepath.Join(dir, "*.json"), filepath.Join(dir, "out")
			job := transforms.Job{Name: "video build", Prefix: prefix, Input: input, Limit: tc.limit}
			if tc.limit > 0 {
				cuts, err := transforms.CutInput(context.Background(), input, tc.limit, 0)
				if err != nil {
					t.Fatal(err)
				}
				job.Cuts = cuts
			}
			p, s := beam.NewPipelineWithRoot()
			if err := Build(s, job, testBuildOptions(t, input, annotations.FormatETInstruct, videos, prefix)); err != nil {
				t.Fatal(err)
			}
			if err := ptest.Run(p); err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, n := range tc.want {
				want = append(want, "event "+string(rune('a'+n)))
			}
			if got := readQueries(t, prefix); !slices.Equal(got, want) {
				t.Errorf("rows of %q, want %q", got, want)
			}
			c := readTestManifest(t, prefix)
			if c["read"] != tc.read || c["dead_lettered"] != tc.dead || c["written"] != int64(len(tc.want)) {
				t.Errorf("counts read %d, written %d, dead_lettered %d; want %d, %d, %d",
					c["read"], c["written"], c["dead_lettered"], tc.read, len(tc.want), tc.dead)
			}
			left, _ := filepath.Glob(filepath.Join(prefix, "data", "*.tmp-*"))
			if len(left) > 0 {
				t.Errorf("left in data/ after the job: %v", left)
			}
		})
	}
}
