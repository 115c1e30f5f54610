package transforms

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
)

// sortInputRows returns n JSON rows, some of them repeated.
func sortInputRows(n int) []string {
	rows := make([]string, n)
	for i := range rows {
		rows[i] = fmt.Sprintf(`{"id":"r%d","n":%d}`, i%(n-n/10), i*7%13)
	}
	return rows
}

// writeRowsJob writes rows with WriteJSONL and a manifest; reshuffle bundles the rows
// differently before the write.
func writeRowsJob(prefix string, shards int, rows []string, reshuffle bool) *beam.Pipeline {
	p, s := beam.NewPipelineWithRoot()
	col := beam.CreateList(s, rows)
	if reshuffle {
		col = beam.Reshuffle(s, col)
	}
	data := WriteJSONL(s, Sink{Prefix: prefix, Output: layout.DataOutput, Name: "rows", Shards: shards}, col)
	WriteManifest(s, Job{Name: "test", Version: "t", Prefix: prefix}, Accounts{
		Tallies: []beam.PCollection{Tally(s, layout.CountRead, col)},
		Shards:  []beam.PCollection{data},
	})
	return p
}

// withSpillBudget sets SpillBudget for the pipelines built until the test ends.
func withSpillBudget(t *testing.T, budget int64) {
	old := SpillBudget
	SpillBudget = budget
	t.Cleanup(func() { SpillBudget = old })
}

// TestWriteJSONLSameBytes writes the same rows with one run, with a tiny spill budget
// (hundreds of runs) and with other bundling: every way gives the same shards and
// manifest hashes, each shard being its rows (ShardOf) sorted, as the writer has always
// written them. The run files are gone when the job ends.
func TestWriteJSONLSameBytes(t *testing.T) {
	rows := sortInputRows(3000)
	const shards = 3
	var first []layout.Shard
	for _, tc := range []struct {
		name      string
		budget    int64
		reshuffle bool
	}{{"one run", 1 << 30, false}, {"many runs", 512, false}, {"reshuffled", 4096, true}} {
		t.Run(tc.name, func(t *testing.T) {
			withSpillBudget(t, tc.budget)
			prefix := filepath.Join(t.TempDir(), "out")
			if err := ptest.Run(writeRowsJob(prefix, shards, rows, tc.reshuffle)); err != nil {
				t.Fatal(err)
			}
			m := checkOutput(t, prefix)
			if first == nil {
				first = m.Shards
				checkShardContents(t, prefix, m.Shards, rows)
			} else if !slices.Equal(m.Shards, first) {
				t.Errorf("shards %v, want the same as with one run %v", m.Shards, first)
			}
			checkNoTemp(t, prefix, layout.DataOutput)
		})
	}
}

// checkShardContents checks that shard i of n holds exactly the rows whose ShardOf is
// i, sorted.
func checkShardContents(t *testing.T, prefix string, shards []layout.Shard, rows []string) {
	t.Helper()
	for _, sh := range shards {
		var i, n int
		fmt.Sscanf(path.Base(sh.Path), "rows-%05d-of-%05d", &i, &n)
		var want []string
		for _, r := range rows {
			if ShardOf(r, n) == i {
				want = append(want, r+"\n")
			}
		}
		slices.Sort(want)
		got, err := blob.ReadFile(context.Background(), blob.Join(prefix, sh.Path))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != strings.Join(want, "") {
			t.Errorf("%s: not its %d rows, sorted", sh.Path, len(want))
		}
	}
}

// checkNoTemp fails when a temporary file (a run or a shard being written) is left in
// PREFIX/out.
func checkNoTemp(t *testing.T, prefix, out string) {
	t.Helper()
	left, err := blob.List(context.Background(), blob.Join(prefix, out, ".tmp-*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("temporary files left in %s: %v", out, left)
	}
}

// TestWriteJSONLAutoShards: Shards 0 chooses the number of shards from the rows and
// bytes (small thresholds here), on disk and on GCS; every row lands once, in the
// shard whose bucket range holds it, sorted; a rerun writes the same shards.
func TestWriteJSONLAutoShards(t *testing.T) {
	rows := sortInputRows(2000)
	var records int64 // bytes of the rows in run files, what AutoShardBytes bounds
	for _, r := range rows {
		records += int64(len(appendRecord(nil, &entry{bucket: ShardOf(r, AutoShardBuckets), key: r})))
	}
	tests := []struct {
		name          string
		shardRows     int64
		shardBytes    int64
		budget        int64
		want          int
		prefixOnCloud bool
	}{
		{"rows decide", 250, 1 << 30, 1 << 30, 8, false},
		{"bytes decide", 1 << 30, records/5 + 1, 2048, 5, false},
		{"one shard", 1 << 30, 1 << 30, 2048, 1, false},
		{"gcs", 500, 1 << 30, 4096, 4, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			withSpillBudget(t, tc.budget)
			oldRows, oldBytes := AutoShardRows, AutoShardBytes
			AutoShardRows, AutoShardBytes = tc.shardRows, tc.shardBytes
			defer func() { AutoShardRows, AutoShardBytes = oldRows, oldBytes }()
			prefix := filepath.Join(t.TempDir(), "out")
			if tc.prefixOnCloud {
				prefix = "gs://" + testBucket + "/auto/" + t.Name()
			}
			var shas []string
			for range 2 {
				if err := ptest.Run(writeRowsJob(prefix, 0, rows, false)); err != nil {
					t.Fatal(err)
				}
				m := checkOutput(t, prefix)
				if len(m.Shards) != tc.want {
					t.Fatalf("%d shards, want %d", len(m.Shards), tc.want)
				}
				checkAutoShards(t, prefix, m.Shards, len(rows))
				checkNoTemp(t, prefix, layout.DataOutput)
				b, _ := json.Marshal(m.Shards)
				shas = append(shas, string(b))
			}
			if shas[0] != shas[1] {
				t.Errorf("rerun wrote other shards:\n%s\n%s", shas[0], shas[1])
			}
		})
	}
}

// checkAutoShards checks that every row of shard i of n has its bucket in the shard's
// range and that each shard is sorted by bucket, then by row, and counts all rows.
func checkAutoShards(t *testing.T, prefix string, shards []layout.Shard, rows int) {
	t.Helper()
	seen := 0
	for _, sh := range shards {
		var i, n int
		fmt.Sscanf(path.Base(sh.Path), "rows-%05d-of-%05d", &i, &n)
		data, err := blob.ReadFile(context.Background(), blob.Join(prefix, sh.Path))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		if len(data) == 0 {
			lines = nil
		}
		if !slices.IsSortedFunc(lines, func(a, b string) int {
			return cmp.Or(cmp.Compare(ShardOf(a, AutoShardBuckets), ShardOf(b, AutoShardBuckets)), strings.Compare(a, b))
		}) {
			t.Errorf("%s is not sorted by bucket, then row", sh.Path)
		}
		lo, hi := partStart(i, n, AutoShardBuckets), partStart(i+1, n, AutoShardBuckets)
		for _, l := range lines {
			if b := ShardOf(l, AutoShardBuckets); b < lo || b >= hi {
				t.Errorf("%s holds a row of bucket %d, outside [%d, %d)", sh.Path, b, lo, hi)
			}
		}
		seen += len(lines)
	}
	if seen != rows {
		t.Errorf("%d rows written, want %d", seen, rows)
	}
}
