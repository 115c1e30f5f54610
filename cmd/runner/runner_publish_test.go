package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/serve"
)

// bigRollouts writes n rollouts (the example's, with fresh ids) to a file.
func bigRollouts(t *testing.T, n int) string {
	t.Helper()
	ex, err := os.ReadFile(example(t, "museg_rollouts.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(ex), []byte("\n")) {
		var r map[string]any
		if json.Unmarshal(line, &r) == nil { // the example holds bad rows too; keep the good
			rows = append(rows, r)
		}
	}
	var buf bytes.Buffer
	for i := 0; i < n; i++ {
		r := rows[i%len(rows)]
		r["id"] = fmt.Sprintf("big-%07d", i)
		b, _ := json.Marshal(r)
		buf.Write(append(b, '\n'))
	}
	p := filepath.Join(t.TempDir(), "big.jsonl")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestKilledRerunKeepsPublished publishes a run, then starts a rerun into the same output
// with a large input and --shards 3 and kills it (SIGKILL) as soon as it has committed
// a shard of its own, before it publishes. The first run's manifest is unchanged, every shard it lists is intact, and the
// readers (blob.Expand of PREFIX/data, as --input and --samples use it) read exactly
// those shards.
func TestKilledRerunKeepsPublished(t *testing.T) {
	ctx := context.Background()
	prefix := filepath.Join(t.TempDir(), "out")
	if out, err := runner(t, nil, "video", "score", "--input", example(t, "museg_rollouts.jsonl"), "--output", prefix, "--shards", "4"); err != nil {
		t.Fatalf("first run: %v\n%s", err, out)
	}
	manifest, _ := os.ReadFile(filepath.Join(prefix, "manifest.json"))
	m := readManifest(t, prefix)
	listed := map[string]bool{}
	var want []string
	for _, sh := range m.Shards {
		listed[filepath.Join(prefix, sh.Path)] = true
		if sh.Output == "data" {
			want = append(want, filepath.Join(prefix, sh.Path))
		}
	}
	slices.Sort(want)

	cmd := exec.Command(runnerBin, "video", "score", "--input", bigRollouts(t, 200000), "--output", prefix, "--shards", "3")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	killed := false
	for deadline := time.Now().Add(4 * time.Minute); !killed && time.Now().Before(deadline); {
		select {
		case err := <-exited:
			t.Fatalf("the rerun ended (%v) before it was caught writing; make its input larger:\n%s", err, out.String())
		default:
		}
		for _, dir := range []string{"data", "deadletter"} {
			entries, _ := os.ReadDir(filepath.Join(prefix, dir))
			for _, e := range entries {
				// A complete shard of the rerun: it has renamed its first shard, it
				// has not published yet.
				if !listed[filepath.Join(prefix, dir, e.Name())] && !strings.HasPrefix(e.Name(), ".tmp-") {
					cmd.Process.Kill()
					killed = true
					break
				}
			}
		}
		time.Sleep(time.Millisecond)
	}
	if !killed {
		cmd.Process.Kill()
		t.Fatalf("the rerun wrote no shard in time:\n%s", out.String())
	}
	<-exited

	if now, _ := os.ReadFile(filepath.Join(prefix, "manifest.json")); !bytes.Equal(now, manifest) {
		t.Fatalf("the killed rerun changed manifest.json")
	}
	for _, sh := range m.Shards {
		data, err := os.ReadFile(filepath.Join(prefix, sh.Path))
		if err != nil {
			t.Errorf("published shard: %v", err)
			continue
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != sh.SHA256 {
			t.Errorf("published shard %s changed", sh.Path)
		}
	}
	for _, input := range []string{filepath.Join(prefix, "data"), filepath.Join(prefix, "data", "*.jsonl")} {
		got, err := blob.Expand(ctx, input)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("Expand(%s) after the killed rerun = %v, want the manifest's %v", input, got, want)
		}
	}
	// A job reading the published output as its input reads exactly its rows.
	again := filepath.Join(t.TempDir(), "again")
	if o, err := runner(t, nil, "video", "score", "--input", filepath.Join(prefix, "data"), "--output", again); err != nil && !strings.Contains(o, "exit 3") {
		t.Fatalf("reading the published output: %v\n%s", err, o)
	}
	if got, want := readManifest(t, again).Counts["read"], m.Counts["written"]; got != want {
		t.Errorf("a job reading PREFIX/data read %d rows, want the published %d", got, want)
	}
}

// TestServeSamplesReadsManifest: serve's --samples PREFIX/data reads the shards the
// manifest lists, not a shard an unpublished run left beside them.
func TestServeSamplesReadsManifest(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "select")
	if out, err := runner(t, nil, "writing", "select", "--input", example(t, "writing_samples.jsonl"), "--output", prefix, "--top-k", "3"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// An unpublished run's shard: a sample the manifest does not list.
	stray := `{"id":"stray","prompt":"p","references":["a"]}` + "\n"
	if err := os.WriteFile(filepath.Join(prefix, "data", "selected-00000-of-00001.jsonl"), []byte(stray), 0o644); err != nil {
		t.Fatal(err)
	}
	samples, err := serve.LoadSamples(context.Background(), filepath.Join(prefix, "data"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := samples["stray"]; ok || len(samples) != 3 {
		t.Errorf("LoadSamples read %d samples (stray: %v), want the published 3", len(samples), ok)
	}
}
