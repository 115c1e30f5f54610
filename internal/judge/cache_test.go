package judge

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCacheKeyComponents(t *testing.T) {
	seed := 7
	base := func() (string, string, string, []Message, Sampling) {
		return "https://api.example.com/v1", "judge-model", "sha256:aaaa",
			[]Message{{Role: "user", Content: "hello"}}, Sampling{Temperature: 0.1, MaxTokens: 512}
	}
	ref, err := CacheKey(base())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		mutate   func(u, m, v *string, msgs *[]Message, s *Sampling)
		wantSame bool
	}{
		{name: "model", mutate: func(u, m, v *string, msgs *[]Message, s *Sampling) { *m = "other-model" }},
		{name: "host", mutate: func(u, m, v *string, msgs *[]Message, s *Sampling) { *u = "https://api.other.com/v1" }},
		{name: "template version", mutate: func(u, m, v *string, msgs *[]Message, s *Sampling) { *v = "sha256:bbbb" }},
		{name: "message content", mutate: func(u, m, v *string, msgs *[]Message, s *Sampling) {
			*msgs = []Message{{Role: "user", Content: "hello!"}}
		}},
		{name: "message role", mutate: func(u, m, v *string, msgs *[]Message, s *Sampling) {
			*msgs = []Message{{Role: "system", Content: "hello"}}
		}},
		{name: "extra system message", mutate: func(u, m, v *string, msgs *[]Message, s *Sampling) {
			*msgs = append([]Message{{Role: "system", Content: "sys"}}, *msgs...)
		}},
		{name: "temperature", mutate: func(u, m, v *string, msgs *[]Message, s *Sampling) { s.Temperature = 0.2 }},
		{name: "max tokens", mutate: func(u, m, v *string, msgs *[]Message, s *Sampling) { s.MaxTokens = 1024 }},
		{name: "seed", mutate: func(u, m, v *string, msgs *[]Message, s *Sampling) { s.Seed = &seed }},
		{name: "scheme and path ignored", wantSame: true, mutate: func(u, m, v *string, msgs *[]Message, s *Sampling) { *u = "http://api.example.com/compatible/v1" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, m, v, msgs, s := base()
			tc.mutate(&u, &m, &v, &msgs, &s)
			got, err := CacheKey(u, m, v, msgs, s)
			if err != nil {
				t.Fatal(err)
			}
			if (got == ref) != tc.wantSame {
				t.Errorf("key same=%v, want same=%v", got == ref, tc.wantSame)
			}
		})
	}
}

// TestCacheLocal runs the cache in a local folder: the layout of the former DirCache
// (<root>/<2 hex>/<key>.json), so existing caches stay valid.
func TestCacheLocal(t *testing.T) {
	ctx := context.Background()
	root := filepath.Join(t.TempDir(), "cache")
	c := NewCache(root)
	key := strings.Repeat("ab", 32)
	if _, ok, err := c.Get(ctx, key); ok || err != nil {
		t.Fatalf("Get on empty cache = %v, %v", ok, err)
	}
	if err := c.Put(ctx, key, []byte("v1")); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(ctx, key, []byte("v2")); err != nil {
		t.Fatal(err)
	}
	got, ok, err := c.Get(ctx, key)
	if err != nil || !ok || string(got) != "v2" {
		t.Fatalf("Get = %q, %v, %v; want v2", got, ok, err)
	}
	want := filepath.Join(root, "ab", key+".json")
	if _, err := os.Stat(want); err != nil {
		t.Errorf("value not at sharded path %s: %v", want, err)
	}
	entries, err := os.ReadDir(filepath.Join(root, "ab"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("shard holds %d files (temporary files left?), want 1", len(entries))
	}
	badKeys := []struct {
		name string
		key  string
	}{
		{name: "path traversal", key: "../../etc/passwd"},
		{name: "uppercase", key: strings.Repeat("AB", 32)},
		{name: "too short", key: "abc"},
	}
	for _, tc := range badKeys {
		t.Run(tc.name, func(t *testing.T) {
			if err := c.Put(ctx, tc.key, []byte("x")); err == nil {
				t.Errorf("Put(%q) succeeded", tc.key)
			}
			if _, _, err := c.Get(ctx, tc.key); err == nil {
				t.Errorf("Get(%q) succeeded", tc.key)
			}
		})
	}
}
