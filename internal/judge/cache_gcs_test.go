package judge_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/gcstest"
	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/judge/judgetest"
)

func fakeGCS(t *testing.T) {
	t.Helper()
	_, host := gcstest.StartT(t, "cache")
	t.Setenv("STORAGE_EMULATOR_HOST", host)
}

// TestCacheGCS runs the cache against a fake GCS server through package blob.
func TestCacheGCS(t *testing.T) {
	fakeGCS(t)
	t.Run("get put", testCacheGetPut)
	t.Run("saves calls", testCacheSavesCalls)
}

func testCacheGetPut(t *testing.T) {
	ctx := context.Background()
	c := judge.NewCache("gs://cache/judge/")
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

func testCacheSavesCalls(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	ctx := context.Background()
	req := judge.PointwiseRequest{Prompt: "p", Response: "r"}
	for run := range 2 {
		cl, err := judge.NewClient(judge.ClientConfig{BaseURL: srv.URL(), Model: "m", Cache: judge.NewCache("gs://cache/c")})
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
