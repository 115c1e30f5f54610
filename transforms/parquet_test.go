package transforms

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/parquet-go/parquet-go"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/export"
	"github.com/rlcurate/rlcurate/internal/layout"
)

// videoRows returns n video build data rows with ids v-0 .. v-(n-1).
func videoRows(n int) []string {
	rows := make([]string, n)
	for i := range rows {
		rows[i] = fmt.Sprintf(`{"id":"v-%d","video":"videos/%d.mp4","task":"tvg","question":"q%d","prompt":"q%d think","solution":[[%d,%d.5]],"phase":1,`+
			`"frames":{"paths":["frames/v-%d/0.jpg","frames/v-%d/1.jpg"],"timestamps":[0,1],"fps":2,"width":56,"height":28}}`, i, i, i, i, i, i, i, i)
	}
	return rows
}

// parquetJob reads rows and writes them as JSONL data and as Parquet, with a manifest.
func parquetJob(input, prefix string, shards int, opts export.Options) *beam.Pipeline {
	p, s := beam.NewPipelineWithRoot()
	lines, _ := ReadLines(s, input, 0)
	rows := beam.ParDo(s, lineText, lines)
	data := WriteJSONL(s, Sink{Prefix: prefix, Output: layout.DataOutput, Name: "rows", Shards: shards}, rows)
	pq := WriteParquet(s, Sink{Prefix: prefix, Output: ParquetOutput, Name: "rows", Shards: shards}, opts, rows)
	WriteManifest(s, Job{Name: "test", Version: "t", Prefix: prefix}, Accounts{
		Tallies: []beam.PCollection{Tally(s, layout.CountRead, lines)},
		Shards:  []beam.PCollection{data, pq},
	})
	return p
}

func lineText(l Line) string { return l.Text }

func init() { beam.RegisterFunction(lineText) }

func TestWriteParquet(t *testing.T) {
	const n, shards = 25, 3
	in := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(in, []byte(strings.Join(videoRows(n), "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, prefix := range []string{filepath.Join(t.TempDir(), "out"), "gs://" + testBucket + "/parquet-job"} {
		t.Run(strings.SplitN(prefix, ":", 2)[0], func(t *testing.T) {
			ctx := context.Background()
			opts := export.Options{Kind: export.Video, FrameRoot: "file:///mnt/run"}
			if err := ptest.Run(parquetJob(in, prefix, shards, opts)); err != nil {
				t.Fatal(err)
			}
			b, err := blob.ReadFile(ctx, blob.Join(prefix, "manifest.json"))
			if err != nil {
				t.Fatal(err)
			}
			var m layout.Manifest
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			if m.Counts[layout.CountWritten] != n || m.Counts[layout.CountRead] != n {
				t.Errorf("counts %v: want read = written = %d (Parquet rows not counted twice)", m.Counts, n)
			}
			jsonlIDs := map[int][]string{} // shard index -> ids, from the JSONL shards
			var pqRows int64
			var pqShards int
			for _, sh := range m.Shards {
				data, err := blob.ReadFile(ctx, blob.Join(prefix, sh.Path))
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(data)
				if hex.EncodeToString(sum[:]) != sh.SHA256 || int64(len(data)) != sh.Bytes {
					t.Errorf("%s: manifest bytes/sha256 do not match the file", sh.Path)
				}
				var i, of int
				if _, err := fmt.Sscanf(filepath.Base(sh.Path)[len("rows-"):], "%05d-of-%05d", &i, &of); err != nil || of != shards {
					t.Fatalf("shard name %s: %v", sh.Path, err)
				}
				switch sh.Output {
				case layout.DataOutput:
					for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
						if line != "" {
							var r struct{ ID string }
							json.Unmarshal([]byte(line), &r)
							jsonlIDs[i] = append(jsonlIDs[i], r.ID)
						}
					}
				case ParquetOutput:
					pqShards++
					if !strings.HasSuffix(sh.Path, ".parquet") || !strings.HasPrefix(sh.Path, "parquet/") {
						t.Errorf("parquet shard path %s", sh.Path)
					}
					got, err := parquet.Read[export.VideoRow](bytes.NewReader(data), int64(len(data)))
					if err != nil {
						t.Fatalf("%s: %v", sh.Path, err)
					}
					if int64(len(got)) != sh.Rows {
						t.Errorf("%s: %d rows, manifest says %d", sh.Path, len(got), sh.Rows)
					}
					pqRows += sh.Rows
					var ids []string
					for _, r := range got {
						ids = append(ids, r.ExtraInfo.Index)
						wantFrame := "file:///mnt/run/frames/" + r.ExtraInfo.Index + "/0.jpg"
						if r.Videos[0].Video[0] != wantFrame || r.Videos[0].SampleFPS != 2 {
							t.Errorf("%s: row %s video %+v, want first frame %s at 2 fps", sh.Path, r.ExtraInfo.Index, r.Videos[0], wantFrame)
						}
					}
					defer func(i int, ids []string) {
						sort.Strings(ids)
						want := append([]string(nil), jsonlIDs[i]...)
						sort.Strings(want)
						if strings.Join(ids, ",") != strings.Join(want, ",") {
							t.Errorf("parquet shard %d ids %v, JSONL shard %d ids %v", i, ids, i, want)
						}
					}(i, ids)
				}
			}
			if pqShards != shards || pqRows != n {
				t.Errorf("%d parquet shards with %d rows, want %d with %d", pqShards, pqRows, shards, n)
			}
			tmps, _ := blob.List(ctx, blob.Join(prefix, ParquetOutput, ".tmp-*"))
			if len(tmps) != 0 {
				t.Errorf("temporary files left: %v", tmps)
			}
			// A rerun on the same input writes the same bytes: the manifest lists the
			// same shards, names and digests included (JSONL and Parquet).
			if err := ptest.Run(parquetJob(in, prefix, shards, opts)); err != nil {
				t.Fatal(err)
			}
			b2, err := blob.ReadFile(ctx, blob.Join(prefix, "manifest.json"))
			if err != nil {
				t.Fatal(err)
			}
			var m2 layout.Manifest
			if err := json.Unmarshal(b2, &m2); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(m2.Shards) != fmt.Sprint(m.Shards) {
				t.Errorf("rerun shards differ:\n first %v\n rerun %v", m.Shards, m2.Shards)
			}
		})
	}
}

func TestWriteParquetBadRowFailsJob(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, []byte(videoRows(1)[0]+"\n"+`{"id":"odd","prompt":"p","phase":1,"solution":[],"frames":{"paths":["a"],"fps":2}}`+"\n"), 0o644)
	prefix := filepath.Join(dir, "out")
	err := ptest.Run(parquetJob(in, prefix, 1, export.Options{Kind: export.Video}))
	if err == nil || !strings.Contains(err.Error(), "even number") {
		t.Fatalf("job with an unconvertible row = %v, want a failure naming the cause", err)
	}
	// The sort's run files (temporary names) stay until the next run publishes.
	left, _ := blob.List(context.Background(), blob.Join(prefix, ParquetOutput, "*"))
	left = slices.DeleteFunc(left, blob.IsTemp)
	if len(left) != 0 {
		t.Errorf("files under the final names after a failed write: %v", left)
	}
	if ok, _ := blob.Exists(context.Background(), blob.Join(prefix, "manifest.json")); ok {
		t.Error("manifest written by a failed job")
	}
}
