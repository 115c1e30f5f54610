package transforms

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
)

func init() {
	register.DoFn4x0[Line, func(string), func(string), func(layout.DeadLetter)](&testParseFn{})
	register.Emitter1[layout.DeadLetter]()
}

// testParseFn is a tiny job step: rows {"id": str, "n": int}; n < 0 is filtered,
// anything that does not decode is dead-lettered.
type testParseFn struct{}

func (*testParseFn) ProcessElement(l Line, keep, filtered func(string), dead func(layout.DeadLetter)) {
	var r struct {
		ID string `json:"id"`
		N  *int   `json:"n"`
	}
	if err := json.Unmarshal([]byte(l.Text), &r); err != nil || r.N == nil {
		reason := "missing field n"
		if err != nil {
			reason = err.Error()
		}
		dead(layout.DeadLetter{File: l.File, Line: l.Number, Stage: "parse", Reason: reason, Record: l.Text})
		return
	}
	if *r.N < 0 {
		filtered(r.ID)
		return
	}
	b, _ := json.Marshal(map[string]any{"id": r.ID, "n2": *r.N * 2})
	keep(string(b))
}

// testJob reads input, keeps, filters and dead-letters, and writes everything with a
// manifest, the way every rlcurate job does.
func testJob(input, prefix string, shards int) *beam.Pipeline {
	p, s := beam.NewPipelineWithRoot()
	lines, _ := ReadLines(s, input, 0)
	kept, filtered, dead := beam.ParDo3(s, &testParseFn{}, lines)
	data := WriteJSONL(s, Sink{Prefix: prefix, Output: layout.DataOutput, Name: "rows", Shards: shards}, kept)
	dl := WriteDeadLetters(s, prefix, 1, dead)
	WriteManifest(s, Job{Name: "test", Version: "t", Prefix: prefix, Config: map[string]any{"input": input}}, Accounts{
		Tallies: []beam.PCollection{Tally(s, layout.CountRead, lines), Tally(s, layout.CountFiltered, filtered)},
		Shards:  []beam.PCollection{data, dl},
	})
	return p
}

const testInput = `{"id": "a", "n": 1}
{"id": "b", "n": 2}
not json at all

{"id": "c", "n": -1}
{"id": "d"}
{"id": "e", "n": 5}
{"id": "f", "n": "seven"}
{"id": "g", "n": 7}
`

func TestJobLocal(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, []byte(testInput), 0o644)
	prefix := filepath.Join(dir, "out")
	if err := ptest.Run(testJob(in, prefix, 3)); err != nil {
		t.Fatal(err)
	}
	m := checkOutput(t, prefix)
	// 8 non-blank lines: a b e g kept, c filtered, 3 bad.
	want := map[string]int64{"read": 8, "written": 4, "filtered": 1, "dead_lettered": 3}
	for k, v := range want {
		if m.Counts[k] != v {
			t.Errorf("counts[%s] = %d, want %d", k, m.Counts[k], v)
		}
	}
	dead := readRows(t, prefix, "deadletter")
	lines := map[float64]bool{}
	for _, d := range dead {
		lines[d["line"].(float64)] = true
		if d["file"] != in || d["stage"] != "parse" || d["reason"] == "" || d["record"] == "" {
			t.Errorf("dead letter %v lacks its source, stage, reason or record", d)
		}
	}
	for _, l := range []float64{3, 6, 8} { // 1-based, blank line 4 counted in numbering
		if !lines[l] {
			t.Errorf("no dead letter for line %v; got %v", l, dead)
		}
	}
	var ids []string
	for _, r := range readRows(t, prefix, "data") {
		ids = append(ids, r["id"].(string))
	}
	if got := strings.Join(slices.Sorted(slices.Values(ids)), ","); got != "a,b,e,g" {
		t.Errorf("written ids = %s, want a,b,e,g", got)
	}

	// A rerun overwrites with byte-identical shards, never duplicates.
	if err := ptest.Run(testJob(in, prefix, 3)); err != nil {
		t.Fatal(err)
	}
	m2 := checkOutput(t, prefix)
	if fmt.Sprint(m.Shards) != fmt.Sprint(m2.Shards) {
		t.Errorf("rerun changed shards:\n%v\n%v", m.Shards, m2.Shards)
	}
	files, _ := filepath.Glob(filepath.Join(prefix, "data", "*"))
	if len(files) != 3 {
		t.Errorf("data files after rerun = %v, want exactly 3 shards", files)
	}
}

// TestJobGCS runs the same job from and to gs:// on the emulator and expects the same
// bytes as the local run.
func TestJobGCS(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, []byte(testInput), 0o644)
	if err := ptest.Run(testJob(in, filepath.Join(dir, "out"), 2)); err != nil {
		t.Fatal(err)
	}
	local := checkOutput(t, filepath.Join(dir, "out"))

	gsIn := "gs://" + testBucket + "/input/in.jsonl"
	if err := blob.WriteAtomic(ctx, gsIn, []byte(testInput)); err != nil {
		t.Fatal(err)
	}
	prefix := "gs://" + testBucket + "/jobs/" + t.Name()
	if err := CheckOutputForTest(ctx, prefix); err != nil {
		t.Fatal(err)
	}
	if err := ptest.Run(testJob("gs://"+testBucket+"/input/*.jsonl", prefix, 2)); err != nil {
		t.Fatal(err)
	}
	remote := checkOutput(t, prefix)
	for i := range local.Shards {
		l, r := local.Shards[i], remote.Shards[i]
		if l.Output == layout.DeadLetterOutput {
			continue // dead letters name their source file, which differs
		}
		if l.Path != r.Path || l.SHA256 != r.SHA256 || l.Rows != r.Rows {
			t.Errorf("shard %d: local %+v, gs %+v", i, l, r)
		}
	}
}

// CheckOutputForTest is blob.CheckWritable, named for what the test asks.
func CheckOutputForTest(ctx context.Context, prefix string) error {
	return blob.CheckWritable(ctx, prefix)
}

func TestEmptyInputFailsNothing(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "empty.jsonl")
	os.WriteFile(in, nil, 0o644)
	prefix := filepath.Join(dir, "out")
	if err := ptest.Run(testJob(in, prefix, 2)); err != nil {
		t.Fatal(err)
	}
	m := checkOutput(t, prefix)
	if m.Counts["read"] != 0 || len(m.Shards) != 3 {
		t.Errorf("empty input: counts %v, shards %v; want zero counts and 2+1 empty shards", m.Counts, m.Shards)
	}
}

func TestMissingInput(t *testing.T) {
	dir := t.TempDir()
	if _, err := CheckInput(context.Background(), filepath.Join(dir, "nope-*.jsonl")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("CheckInput of a missing glob = %v, want a no-such-file error", err)
	}
	err := ptest.Run(testJob(filepath.Join(dir, "nope.jsonl"), filepath.Join(dir, "out"), 1))
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("job on a missing input = %v, want a no-such-file failure", err)
	}
	if _, statErr := os.Stat(filepath.Join(dir, "out", "manifest.json")); statErr == nil {
		t.Errorf("a failed job wrote a manifest")
	}
}

// checkOutput reads the manifest and verifies every shard it lists against the bytes on
// storage: row count and SHA-256 computed here, independently of the writer.
func checkOutput(t *testing.T, prefix string) layout.Manifest {
	t.Helper()
	ctx := context.Background()
	b, err := blob.ReadFile(ctx, blob.Join(prefix, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m layout.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if err := m.Check(); err != nil {
		t.Error(err)
	}
	for _, sh := range m.Shards {
		data, err := blob.ReadFile(ctx, blob.Join(prefix, sh.Path))
		if err != nil {
			t.Errorf("shard %s: %v", sh.Path, err)
			continue
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != sh.SHA256 {
			t.Errorf("shard %s: sha256 in manifest does not match the file", sh.Path)
		}
		if n := int64(bytes.Count(data, []byte("\n"))); n != sh.Rows {
			t.Errorf("shard %s: %d lines, manifest says %d", sh.Path, n, sh.Rows)
		}
	}
	return m
}

// readRows decodes every row of every shard of an output.
func readRows(t *testing.T, prefix, out string) []map[string]any {
	t.Helper()
	ctx := context.Background()
	files, err := blob.List(ctx, blob.Join(prefix, out, "*"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	for _, f := range files {
		data, err := blob.ReadFile(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			var r map[string]any
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			rows = append(rows, r)
		}
	}
	return rows
}
