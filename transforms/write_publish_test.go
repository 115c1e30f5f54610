package transforms

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
)

// publishInputs are two inputs of the test job with different rows, so that a rerun
// writes other bytes than the run before it.
var publishInputs = [2]string{
	`{"id": "a", "n": 1}` + "\n" + `{"id": "b", "n": 2}` + "\n" + `{"id": "c", "n": 3}` + "\n" + `{"id": "d", "n": 4}` + "\n" + `{"id": "e", "n": 5}` + "\n" + `{"id": "f", "n": 6}` + "\n" + `{"id": "g", "n": 7}` + "\n" + `{"id": "h", "n": 8}` + "\n" + "bad\n",
	`{"id": "p", "n": 1}` + "\n" + `{"id": "q", "n": 2}` + "\n" + `{"id": "r", "n": 3}` + "\n" + "bad again\n",
}

// idsOf returns the sorted ids of the rows of files.
func idsOf(t *testing.T, files []string) string {
	t.Helper()
	var ids []string
	for _, f := range files {
		b, err := blob.ReadFile(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			var r struct{ ID string }
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			ids = append(ids, r.ID)
		}
	}
	slices.Sort(ids)
	return strings.Join(ids, ",")
}

// listedFiles returns the full paths of the shards the manifest under prefix lists in out.
func listedFiles(t *testing.T, prefix, out string) []string {
	t.Helper()
	b, err := blob.ReadFile(context.Background(), blob.Join(prefix, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m layout.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, sh := range m.Shards {
		if sh.Output == out {
			files = append(files, blob.Join(prefix, sh.Path))
		}
	}
	return files
}

// TestRerunFewerShardsPublish runs the job with 4 shards, then on other rows with 3
// shards into the same output, on disk and on GCS: a glob of data/*.jsonl, the
// manifest and blob.Expand of PREFIX/data all see exactly the second run's rows, and
// the dead letters too.
func TestRerunFewerShardsPublish(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, prefix := range []string{filepath.Join(dir, "out"), "gs://" + testBucket + "/publish/rerun"} {
		t.Run(strings.SplitN(prefix, ":", 2)[0], func(t *testing.T) {
			for i, shards := range []int{4, 3} {
				in := filepath.Join(dir, "in.jsonl")
				if err := os.WriteFile(in, []byte(publishInputs[i]), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := ptest.Run(testJob(in, prefix, shards)); err != nil {
					t.Fatal(err)
				}
			}
			globbed, err := blob.List(ctx, blob.Join(prefix, "data", "*.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			expanded, err := blob.Expand(ctx, blob.Join(prefix, "data"))
			if err != nil {
				t.Fatal(err)
			}
			for name, files := range map[string][]string{"glob": globbed, "manifest": listedFiles(t, prefix, "data"), "expand": expanded} {
				if len(files) != 3 {
					t.Errorf("%s: %d data files %v, want the second run's 3", name, len(files), files)
				}
				if got := idsOf(t, files); got != "p,q,r" {
					t.Errorf("%s reads ids %s, want p,q,r", name, got)
				}
			}
			dead, _ := blob.List(ctx, blob.Join(prefix, "deadletter", "*"))
			if len(dead) != 1 {
				t.Errorf("deadletter files %v, want the second run's one", dead)
			}
		})
	}
}

// TestKilledRerunLeavesPublished publishes a run, then plays a rerun that died before
// publishing: it left a temporary file, a sort run file and complete shards of its own
// (other rows, other shard count) but no manifest. Readers (blob.Expand of PREFIX/data or
// of its glob) see exactly the published manifest's shards, each intact (bytes and sha256
// as listed); the next run that publishes removes the leftovers.
func TestKilledRerunLeavesPublished(t *testing.T) {
	ctx := context.Background()
	for _, prefix := range []string{filepath.Join(t.TempDir(), "out"), "gs://" + testBucket + "/publish/killed"} {
		t.Run(strings.SplitN(prefix, ":", 2)[0], func(t *testing.T) {
			in := filepath.Join(t.TempDir(), "in.jsonl")
			os.WriteFile(in, []byte(publishInputs[0]), 0o644)
			if err := ptest.Run(testJob(in, prefix, 4)); err != nil {
				t.Fatal(err)
			}
			published := listedFiles(t, prefix, "data")
			// The dead rerun's leftovers, under the names it would have used.
			for i := 0; i < 3; i++ {
				name := layout.ShardName("rows", i, 3, "jsonl")
				row := `{"id":"zombie` + string(rune('0'+i)) + `","n2":0}` + "\n"
				if err := blob.WriteAtomic(ctx, blob.Join(prefix, "data", name), []byte(row)); err != nil {
					t.Fatal(err)
				}
			}
			for _, tmp := range []string{".tmp-dead-rows-00000-of-00003.jsonl", ".tmp-dead-rows.run"} { // a shard being written, a sort run
				if err := blob.WriteAtomic(ctx, blob.Join(prefix, "data", tmp), []byte("{\"id\":")); err != nil {
					t.Fatal(err)
				}
			}
			for _, input := range []string{blob.Join(prefix, "data"), blob.Join(prefix, "data", "*.jsonl")} {
				files, err := blob.Expand(ctx, input)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(files, published) {
					t.Errorf("Expand(%s) = %v, want the manifest's %v", input, files, published)
				}
				if got := idsOf(t, files); got != "a,b,c,d,e,f,g,h" {
					t.Errorf("Expand(%s) reads %s, want the published a..h", input, got)
				}
			}
			checkListed(t, prefix)
			// The next run to publish removes what the dead run left.
			if err := ptest.Run(testJob(in, prefix, 2)); err != nil {
				t.Fatal(err)
			}
			left, _ := blob.List(ctx, blob.Join(prefix, "data", "*"))
			if !slices.Equal(left, listedFiles(t, prefix, "data")) {
				t.Errorf("data/ after a publishing run = %v, want only its manifest's shards", left)
			}
		})
	}
}

// checkListed checks every shard the manifest lists: present, with its bytes and hash.
func checkListed(t *testing.T, prefix string) {
	t.Helper()
	b, err := blob.ReadFile(context.Background(), blob.Join(prefix, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m layout.Manifest
	json.Unmarshal(b, &m)
	for _, sh := range m.Shards {
		data, err := blob.ReadFile(context.Background(), blob.Join(prefix, sh.Path))
		if err != nil {
			t.Errorf("listed shard %s: %v", sh.Path, err)
			continue
		}
		sum := sha256.Sum256(data)
		if int64(len(data)) != sh.Bytes || hex.EncodeToString(sum[:]) != sh.SHA256 {
			t.Errorf("listed shard %s changed: %d bytes, manifest says %d", sh.Path, len(data), sh.Bytes)
		}
	}
}
