package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/internal/pgtest"
	"github.com/rlcurate/rlcurate/internal/store"
)

// TestServePostgres: two `runner serve` replicas share one postgres:// schedule; 20
// writing requests spread over both, and a retry of one of them on the other replica,
// leave every request id recorded once.
func TestServePostgres(t *testing.T) {
	pg := pgtest.Start(t).Database(t)
	samples, _ := filepath.Abs(filepath.Join("..", "..", "internal", "serve", "testdata", "samples.jsonl"))
	var urls []string
	for range 2 {
		url, _, _ := startServe(t, "--schedule", pg, "--samples", samples, "--judge", "heuristic")
		urls = append(urls, url)
	}
	post := func(url, id string) {
		body, _ := json.Marshal(map[string]any{"query": []string{"Rain fell on the roofs, soft and steady."},
			"labels": []string{`{"branch":"writing","sample_id":"s1"}`}, "request_id": id})
		resp, err := http.Post(url+"/get_reward", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("request %s: HTTP %d", id, resp.StatusCode)
		}
	}
	for i := range 20 {
		post(urls[i%2], fmt.Sprintf("req-%d", i))
	}
	post(urls[1], "req-0") // a client's retry reaching the other replica
	st, err := store.Load(context.Background(), pg)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Requests) != 20 || st.Samples["s1"] == nil {
		t.Fatalf("schedule: %d request ids %v, s1 %+v; want 20 ids and s1", len(st.Requests), st.Requests, st.Samples["s1"])
	}
}

// TestWritingAdvancePostgres: writing advance reads and writes a postgres:// schedule;
// the same labels again move nothing.
func TestWritingAdvancePostgres(t *testing.T) {
	pg := pgtest.Start(t).Database(t)
	labels := advanceLabels(t, t.TempDir(), "lab", "a", 40)
	args := []string{"writing", "advance", "--schedule", pg, "--input", labels, "--output", pg}
	for _, want := range []string{"40 moves, 0 already applied", "0 moves, 40 already applied"} {
		if out, err := runner(t, nil, args...); err != nil || !strings.Contains(out, want) {
			t.Fatalf("advance: %v\n%s\nwant %q", err, out, want)
		}
	}
	st, err := store.Load(context.Background(), pg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		if s := st.Samples[fmt.Sprintf("a-%d", i)]; s == nil || s.Pointer != 1 || len(s.Labels) != 1 {
			t.Errorf("sample a-%d = %+v, want pointer 1 with its one label id", i, s)
		}
	}
	if len(st.History) != 40 {
		t.Errorf("%d moves, want 40", len(st.History))
	}
}
