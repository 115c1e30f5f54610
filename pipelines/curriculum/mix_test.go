package curriculum

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/transforms"
)

// writeSource writes n lines to path: every 7th line is not a JSON object and every 11th
// is blank (neither is a valid row); the others are {"id": "<name>-<i>"}.
func writeSource(t *testing.T, path, name string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		switch {
		case i%7 == 3:
			fmt.Fprintf(w, "not json %d\n", i)
		case i%11 == 5:
			fmt.Fprintln(w)
		default:
			fmt.Fprintf(w, `{"id": "%s-%d", "text": "row %d of %s"}`+"\n", name, i, i, name)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// runMix runs curriculum mix on prism and returns its manifest.
func runMix(t *testing.T, out string, o MixOptions) layout.Manifest {
	t.Helper()
	p, s := beam.NewPipelineWithRoot()
	o.Output = out
	if err := Mix(s, transforms.Job{Name: "curriculum mix", Prefix: out}, o); err != nil {
		t.Fatal(err)
	}
	if err := ptest.Run(p); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m layout.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// checkAccounts fails unless read = written + filtered + dead-lettered and written is
// the total.
func checkAccounts(t *testing.T, m layout.Manifest, total int64) {
	t.Helper()
	c := m.Counts
	if c[layout.CountRead] != c[layout.CountWritten]+c[layout.CountFiltered]+c[layout.CountDeadLettered] || c[layout.CountWritten] != total {
		t.Errorf("counts %v: want read = written + filtered + dead_lettered, written = %d", c, total)
	}
}

// dataRows returns the rows of PREFIX/data/*, file by file, and the files' bytes.
func dataRows(t *testing.T, prefix string) (rows []map[string]any, raw []byte) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(prefix, layout.DataOutput, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no data files under %s: %v", prefix, err)
	}
	slices.Sort(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		raw = append(append(raw, f[len(prefix):]...), b...)
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var r map[string]any
			if err := json.Unmarshal([]byte(l), &r); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			rows = append(rows, r)
		}
	}
	return rows, raw
}

// TestMixDrawsTheIndexedRows: two sources, one of two files, each file several blocks
// long with invalid and blank lines among the rows. The rows written are those at
// Draw's indices into the source's valid rows in (file, line) order, with the copies
// Draw gives (with replacement), worked out here from the files alone; a rerun writes
// byte-identical shards; read = written + filtered + dead-lettered.
func TestMixDrawsTheIndexedRows(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]string{"a": {filepath.Join(dir, "a1.jsonl"), filepath.Join(dir, "a2.jsonl")}, "b": {filepath.Join(dir, "b.jsonl")}}
	sizes := map[string]int{files["a"][0]: 3000, files["a"][1]: 1500, files["b"][0]: 2500}
	for f, n := range sizes {
		writeSource(t, f, strings.TrimSuffix(filepath.Base(f), ".jsonl"), n)
	}
	tests := []struct {
		name    string
		total   int64
		replace bool
	}{
		{"without replacement", 400, false},
		{"with replacement, quotas above the rows", 6000, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := MixOptions{Sources: []Source{{Name: "a", Paths: files["a"], Weight: "3"}, {Name: "b", Paths: files["b"], Weight: "1"}}, Total: tc.total, Seed: 5, WithReplacement: tc.replace}
			out := filepath.Join(dir, tc.name)
			checkAccounts(t, runMix(t, out, o), tc.total)
			rows, raw := dataRows(t, out)
			got := map[string][]string{}
			for _, r := range rows {
				got[fmt.Sprint(r["mix_source"])] = append(got[fmt.Sprint(r["mix_source"])], fmt.Sprint(r["id"]))
			}
			quotas, err := SourceQuotas(o.Sources, tc.total)
			if err != nil {
				t.Fatal(err)
			}
			for i, src := range o.Sources {
				var valid []string // the source's valid rows' ids in (file, line) order
				for _, f := range src.Paths {
					name := strings.TrimSuffix(filepath.Base(f), ".jsonl")
					for j := range sizes[f] {
						if j%7 != 3 && j%11 != 5 {
							valid = append(valid, fmt.Sprintf("%s-%d", name, j))
						}
					}
				}
				idx, err := Draw(o.Seed, src.Name, int64(len(valid)), quotas[i], tc.replace)
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, k := range idx {
					want = append(want, valid[k])
				}
				slices.Sort(want)
				slices.Sort(got[src.Name])
				if !slices.Equal(got[src.Name], want) {
					t.Errorf("source %s: wrote %d rows, not the %d at Draw's indices", src.Name, len(got[src.Name]), len(want))
				}
			}
			runMix(t, out+" again", o)
			if _, again := dataRows(t, out+" again"); string(again) != string(raw) {
				t.Error("a rerun with the same seed wrote other shards")
			}
		})
	}
}
