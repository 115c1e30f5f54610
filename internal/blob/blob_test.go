package blob

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/internal/gcstest"
)

// fakeGCS starts fake-gcs-server with the bucket "b" and points STORAGE_EMULATOR_HOST
// at it.
func fakeGCS(t *testing.T) {
	t.Helper()
	_, host := gcstest.StartT(t, "b")
	t.Setenv("STORAGE_EMULATOR_HOST", host)
}

// put writes each file (relative to prefix) with blob.WriteAtomic.
func put(t *testing.T, prefix string, files ...string) {
	t.Helper()
	for _, f := range files {
		if err := WriteAtomic(context.Background(), Join(prefix, f), []byte(f+"\n")); err != nil {
			t.Fatal(err)
		}
	}
}

func TestExpand(t *testing.T) {
	fakeGCS(t)
	dir := t.TempDir()
	files := []string{"data/a.jsonl", "data/b.jsonl", "data/notes.txt", "data/.tmp-x-c.jsonl", "one.json", "empty/x.txt"}
	put(t, dir, files...)
	put(t, "gs://b/p", files...)
	tests := []struct {
		name, in string
		want     []string // relative to the prefix; nil means ErrNoMatch
	}{
		{"file", "one.json", []string{"one.json"}},
		{"folder", "data", []string{"data/a.jsonl", "data/b.jsonl"}},
		{"folder with slash", "data/", []string{"data/a.jsonl", "data/b.jsonl"}},
		{"glob", "data/*", []string{"data/a.jsonl", "data/b.jsonl", "data/notes.txt"}},
		{"glob skips temp files", "data/*.jsonl", []string{"data/a.jsonl", "data/b.jsonl"}},
		{"jsonl file", "data/b.jsonl", []string{"data/b.jsonl"}},
		{"missing file", "nope.jsonl", nil},
		{"glob matching nothing", "data/*.csv", nil},
		{"folder without jsonl", "empty", nil},
	}
	for _, prefix := range []string{dir, "gs://b/p"} {
		for _, tc := range tests {
			where := "local"
			if IsGCS(prefix) {
				where = "gcs"
			}
			t.Run(where+"/"+tc.name, func(t *testing.T) {
				in := Join(prefix, tc.in)
				if strings.HasSuffix(tc.in, "/") {
					in += "/"
				}
				got, err := Expand(context.Background(), in)
				if tc.want == nil {
					if !errors.Is(err, ErrNoMatch) {
						t.Fatalf("Expand = %v, %v; want ErrNoMatch", got, err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, w := range tc.want {
					want = append(want, Join(prefix, w))
				}
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Fatalf("Expand = %v, want %v", got, want)
				}
			})
		}
	}
}

func TestReadFileNotExist(t *testing.T) {
	fakeGCS(t)
	for _, p := range []string{filepath.Join(t.TempDir(), "none"), "gs://b/none"} {
		if _, err := ReadFile(context.Background(), p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("ReadFile(%s) err = %v, want fs.ErrNotExist", p, err)
		}
	}
}

func TestWriteAtomicLocal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "folder")
	p := filepath.Join(dir, "f.json")
	for _, data := range []string{"first", "second"} {
		if err := WriteAtomic(context.Background(), p, []byte(data)); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(p); err != nil || string(b) != data {
			t.Fatalf("read back %q, %v; want %q", b, err, data)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("folder holds %v, %v; want only f.json", entries, err)
	}
	if fi, _ := entries[0].Info(); fi.Mode().Perm()&0o044 == 0 {
		t.Errorf("mode %v: want the file readable by others, as Create makes it", fi.Mode())
	}
}

func TestGCSGeneration(t *testing.T) {
	fakeGCS(t)
	ctx := context.Background()
	g, err := NewGCS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	const p = "gs://b/state.json"
	if _, _, err := g.ReadGeneration(ctx, p); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing object: err = %v, want fs.ErrNotExist", err)
	}
	steps := []struct {
		name    string
		data    string
		gen     func(read int64) int64 // the generation to write at, given the one read
		wantErr error
	}{
		{"create when absent", "1", func(int64) int64 { return 0 }, nil},
		{"create when present", "x", func(int64) int64 { return 0 }, ErrPreconditionFailed},
		{"update at the read generation", "2", func(read int64) int64 { return read }, nil},
		{"update at a stale generation", "x", func(read int64) int64 { return read - 1 }, ErrPreconditionFailed},
	}
	var read int64
	want := ""
	for _, s := range steps {
		err := g.WriteIfGeneration(ctx, p, []byte(s.data), "application/json", s.gen(read))
		if !errors.Is(err, s.wantErr) || (s.wantErr == nil) != (err == nil) {
			t.Fatalf("%s: err = %v, want %v", s.name, err, s.wantErr)
		}
		if err == nil {
			want = s.data
		}
		var b []byte
		if b, read, err = g.ReadGeneration(ctx, p); err != nil || string(b) != want || read == 0 {
			t.Fatalf("%s: read %q at %d, %v; want %q", s.name, b, read, err, want)
		}
	}
	if _, _, err := SplitGCS("gs://b"); err == nil {
		t.Error("SplitGCS(gs://b): want an error")
	}
}
