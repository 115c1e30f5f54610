package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/gcstest"
	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/judge/judgetest"
	"github.com/rlcurate/rlcurate/internal/pgtest"
	"github.com/rlcurate/rlcurate/internal/serve"
	"github.com/rlcurate/rlcurate/internal/store"
	"github.com/rlcurate/rlcurate/schedule"
)

// burst is the number of concurrent single-item writing requests of one training step.
const burst = 256

// countedStore counts the updates (transactions, writes of the state) of a store.
type countedStore struct {
	schedule.Store
	updates *atomic.Int64
}

func (c countedStore) Update(ctx context.Context, fn func(*schedule.State) error) error {
	c.updates.Add(1)
	return c.Store.Update(ctx, fn)
}

// BenchmarkServeBurst sends bursts of 256 concurrent single-item writing requests (one
// per sample, each with its own request id) to `serve` with a scripted judge answering
// every call after 200 ms, on each store; with two replicas the requests alternate
// between two servers, each with its own Postgres pool. It reports answers/s, the p99
// request latency and the store updates (transactions) per burst.
//
//	go test -run '^$' -bench ServeBurst -benchtime 3x ./internal/store/
func BenchmarkServeBurst(b *testing.B) {
	jsrv := judgetest.New()
	b.Cleanup(jsrv.Close)
	jsrv.SetLatency(200 * time.Millisecond)
	jsrv.Handle(func(judgetest.Request) judgetest.Reply { return judgetest.Reply{Content: "B is vivid. [[B]]"} })
	jc, err := judge.NewClient(judge.ClientConfig{BaseURL: jsrv.URL(), Model: "judge", MaxAttempts: 1, Timeout: time.Minute, Concurrency: 2 * burst})
	if err != nil {
		b.Fatal(err)
	}
	samples := benchSamples(b)
	_, host := gcstest.StartT(b, "sched")
	b.Setenv("STORAGE_EMULATOR_HOST", host)
	pg := pgtest.Start(b)
	cases := []struct {
		name        string
		stores      func(b *testing.B) []schedule.Store
		minInterval time.Duration
	}{
		{"file", func(b *testing.B) []schedule.Store {
			return []schedule.Store{&store.File{Path: filepath.Join(b.TempDir(), "s.json")}}
		}, 0},
		{"gcs-emulator", func(b *testing.B) []schedule.Store {
			c, err := blob.NewGCS(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { c.Close() })
			return []schedule.Store{&store.GCS{Client: c, Path: "gs://sched/" + b.Name()}}
		}, time.Second},
		{"postgres-1-replica", func(b *testing.B) []schedule.Store { return pgReplicas(b, pg.Database(b), 1) }, 0},
		{"postgres-2-replicas", func(b *testing.B) []schedule.Store { return pgReplicas(b, pg.Database(b), 2) }, 0},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			var updates atomic.Int64
			var urls []string
			for _, st := range tc.stores(b) {
				s, err := serve.New(serve.Config{Judge: jc, Samples: samples, Store: countedStore{st, &updates},
					MaxInFlight: 2 * burst, MinUpdateInterval: tc.minInterval})
				if err != nil {
					b.Fatal(err)
				}
				ts := httptest.NewServer(s)
				b.Cleanup(ts.Close)
				urls = append(urls, ts.URL)
			}
			runBursts(b, urls, &updates)
		})
	}
}

// runBursts sends b.N bursts and reports the metrics.
func runBursts(b *testing.B, urls []string, updates *atomic.Int64) {
	var start time.Time
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: burst}}
	var lat []time.Duration
	var mu sync.Mutex
	for it := -1; it < b.N; it++ { // burst -1 warms the connections up and is not counted
		if it == 0 {
			lat, start = nil, time.Now()
			updates.Store(0)
			b.ResetTimer()
		}
		var wg sync.WaitGroup
		for i := range burst {
			wg.Go(func() {
				body, _ := json.Marshal(serve.Request{Query: []string{"GOOD essay"}, Labels: []string{fmt.Sprintf(`{"branch":"writing","sample_id":"b%03d"}`, i)},
					RequestID: fmt.Sprintf("it%d-r%03d", it, i), Step: it + 1})
				t0 := time.Now()
				resp, err := client.Post(urls[i%len(urls)]+"/get_reward", "application/json", bytes.NewReader(body))
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
				}
				mu.Lock()
				lat = append(lat, time.Since(t0))
				mu.Unlock()
			})
		}
		wg.Wait()
	}
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(burst*b.N)/elapsed.Seconds(), "answers/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Milliseconds()), "p99-ms")
	b.ReportMetric(float64(updates.Load())/float64(b.N), "txns/burst")
}

func pgReplicas(b *testing.B, url string, n int) []schedule.Store {
	var out []schedule.Store
	for range n {
		p, err := store.OpenPostgres(context.Background(), url)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(p.Pool.Close)
		out = append(out, p)
	}
	return out
}

// benchSamples writes 256 samples b000... with 8 references each and loads them.
func benchSamples(b *testing.B) map[string]serve.Sample {
	var sb strings.Builder
	for i := range burst {
		fmt.Fprintf(&sb, `{"id":"b%03d","prompt":"Write %d.","criteria":null,"references":["r0","r1","r2","r3","r4","r5","r6","r7"],"policy_response":"p"}`+"\n", i, i)
	}
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "samples.jsonl"), []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	samples, err := serve.LoadSamples(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	return samples
}
