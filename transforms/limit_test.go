package transforms

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
)

func init() { register.Function1x1(fileLineKey) }

// fileLineKey names a line by its file's base name and its number.
func fileLineKey(l Line) string { return fmt.Sprintf("%s:%d", filepath.Base(l.File), l.Number) }

// limitFiles writes a.jsonl (records on lines 1, 3 and 4: line 2 is blank, line 4 is 39
// bytes, over the 20 of the tests; 8+1+8+40 = 57 bytes in all) and b.jsonl (lines 1-2) and returns the folder's glob.
func limitFiles(t *testing.T) string {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte("{\"i\":1}\n\n{\"i\":3}\n{\"long\":\""+strings.Repeat("x", 28)+"\"}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.jsonl"), []byte("{\"i\":5}\n{\"i\":6}"), 0o644)
	return filepath.Join(dir, "*.jsonl")
}

// TestCutInput: the cut ends after the limit-th record, blank lines not counted, a line
// too long counted (it is a record that will be dead-lettered), files after it left out.
func TestCutInput(t *testing.T) {
	glob := limitFiles(t)
	tests := []struct {
		limit int64
		want  string // base:bytes of each cut
	}{
		{1, "a.jsonl:8"},
		{2, "a.jsonl:17"},
		{3, "a.jsonl:57"},
		{4, "a.jsonl:57 b.jsonl:8"},
		{99, "a.jsonl:57 b.jsonl:15"},
	}
	for _, tc := range tests {
		cuts, err := CutInput(context.Background(), glob, tc.limit, 20)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cuts {
			got = append(got, fmt.Sprintf("%s:%d", filepath.Base(c.File), c.Bytes))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("CutInput(limit %d) = %v, want %s", tc.limit, got, tc.want)
		}
	}
}

// TestReadInputLimit: with cuts, ReadInput gives exactly the first records with their
// file line numbers, the long one as a dead letter; another glob is read whole.
func TestReadInputLimit(t *testing.T) {
	glob := limitFiles(t)
	cuts, err := CutInput(context.Background(), glob, 4, 20)
	if err != nil {
		t.Fatal(err)
	}
	p, s := beam.NewPipelineWithRoot()
	job := Job{MaxLineBytes: 20, Input: glob, Cuts: cuts}
	lines, dead := ReadInput(s, job, glob)
	passert.Equals(s, beam.ParDo(s, fileLineKey, lines), "a.jsonl:1", "a.jsonl:3", "b.jsonl:1")
	passert.Count(s, dead, "dead", 1)
	other, _ := ReadInput(s.Scope("other"), job, filepath.Join(filepath.Dir(glob), "b.jsonl"))
	passert.Count(s, other, "other", 2)
	if err := ptest.Run(p); err != nil {
		t.Fatal(err)
	}
}
