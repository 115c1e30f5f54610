package serve

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"sync"
	"testing"
	"time"
)

// benchBody is one request of 256 MUSEG completions (the golden cases, cycled, behind a
// chat prompt and followed by an end-of-turn token, phases alternating).
func benchBody(b *testing.B) []byte {
	raw, err := os.ReadFile("/work/shared/fixtures/museg_reward_golden.json")
	if err != nil {
		b.Skip("golden fixture not available:", err)
	}
	var cases []golden
	if err := json.Unmarshal(raw, &cases); err != nil {
		b.Fatal(err)
	}
	const prompt = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n<|vision_start|><|video_pad|><|vision_end|>Find every moment the person eats. Think first, citing timestamps, then answer.<|im_end|>\n<|im_start|>assistant\n"
	var req Request
	for i := 0; i < 256; i++ {
		c := cases[i%len(cases)]
		req.Query = append(req.Query, prompt+c.Completion+"<|im_end|>")
		req.Prompts = append(req.Prompts, prompt)
		req.Labels = append(req.Labels, label(c.GT, 1+i%2, "compat"))
	}
	body, _ := json.Marshal(req)
	return body
}

// BenchmarkMusegService sends requests of 256 MUSEG completions over loopback HTTP from
// 4 concurrent clients and reports rewards/s and the p99 request latency.
func BenchmarkMusegService(b *testing.B) {
	body := benchBody(b)
	s, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	const clients = 4
	var mu sync.Mutex
	var lat []time.Duration
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	next := make(chan struct{}, b.N)
	for i := 0; i < b.N; i++ {
		next <- struct{}{}
	}
	close(next)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range next {
				t0 := time.Now()
				resp, err := client.Post(ts.URL+"/get_reward", "application/json", bytes.NewReader(body))
				if err != nil {
					b.Error(err)
					return
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || n == 0 {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		b.ReportMetric(float64(len(lat)*256)/elapsed.Seconds(), "rewards/s")
		b.ReportMetric(float64(lat[(len(lat)*99)/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	}
}
