package judge_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"cloud.google.com/go/storage"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/gcstest"
	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/judge/judgetest"
)

// blobFiles adapts package blob to judge.Files, as the writing jobs do.
type blobFiles struct{}

func (blobFiles) ReadFile(ctx context.Context, p string) ([]byte, error) {
	b, err := blob.ReadFile(ctx, p)
	if errors.Is(err, storage.ErrObjectNotExist) {
		return nil, fmt.Errorf("%s: %w", p, fs.ErrNotExist)
	}
	return b, err
}

func (blobFiles) WriteAtomic(ctx context.Context, p string, data []byte) error {
	return blob.WriteAtomic(ctx, p, data)
}

func fakeGCS(t *testing.T) {
	t.Helper()
	_, host := gcstest.StartT(t, "cache")
	t.Setenv("STORAGE_EMULATOR_HOST", host)
}

// TestBlobCacheGCS runs the cache against a fake GCS server through package blob.
func TestBlobCacheGCS(t *testing.T) {
	fakeGCS(t)
	t.Run("get put", testBlobCacheGetPut)
	t.Run("saves calls", testBlobCacheSavesCalls)
}

func testBlobCacheGetPut(t *testing.T) {
	ctx := context.Background()
	c := judge.NewBlobCache("gs://cache/judge/", blobFiles{})
	key := strings.Repeat("ab", 32)
	if _, found, err := c.Get(ctx, key); found || err != nil {
		t.Fatalf("Get of a missing key = %v, %v", found, err)
	}
	if err := c.Put(ctx, key, []byte(`{"text":"x"}`)); err != nil {
		t.Fatal(err)
	}
	got, found, err := c.Get(ctx, key)
	if !found || err != nil || string(got) != `{"text":"x"}` {
		t.Fatalf("Get = %q, %v, %v", got, found, err)
	}
	if ok, _ := blob.Exists(ctx, "gs://cache/judge/ab/"+key+".json"); !ok {
		t.Errorf("value not stored at <prefix>/<2 hex>/<key>.json")
	}
	for _, bad := range []string{"../../etc/passwd", "ABCDEF0123", "abc"} {
		if err := c.Put(ctx, bad, []byte("x")); err == nil {
			t.Errorf("Put(%q) accepted a bad key", bad)
		}
	}
}

func testBlobCacheSavesCalls(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	ctx := context.Background()
	req := judge.PointwiseRequest{Prompt: "p", Response: "r"}
	for run := range 2 {
		cl, err := judge.NewClient(judge.Config{BaseURL: srv.URL(), Model: "m", Cache: judge.NewBlobCache("gs://cache/c", blobFiles{})})
		if err != nil {
			t.Fatal(err)
		}
		res, err := cl.Pointwise(ctx, req)
		if err != nil || res.Cached != (run == 1) {
			t.Fatalf("run %d: %+v, %v", run, res, err)
		}
	}
	if srv.Requests() != 1 {
		t.Errorf("server saw %d requests over two clients sharing the gs:// cache, want 1", srv.Requests())
	}
}
