package judge

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/judge/judgetest"
)

// BenchmarkPointwiseLatency200ms sends distinct pointwise requests to a
// judgetest server that answers after 200 ms, at client concurrency 64.
// The ideal throughput is 64 / 0.2 s = 320 requests/s; it reports req/s.
func BenchmarkPointwiseLatency200ms(b *testing.B) {
	const (
		latency     = 200 * time.Millisecond
		concurrency = 64
		perOp       = 640 // requests per benchmark iteration: 10 waves
	)
	srv := judgetest.New()
	defer srv.Close()
	srv.SetLatency(latency)
	c, err := NewClient(ClientConfig{
		BaseURL: srv.URL(), Model: "bench-judge", APIKey: "sk-bench",
		Sampling: Sampling{Temperature: 0.1, MaxTokens: 256}, Concurrency: concurrency,
		Timeout: 10 * time.Second,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for op := range b.N {
		errs := RunAll(context.Background(), perOp, concurrency, func(ctx context.Context, i int) error {
			_, err := c.Pointwise(ctx, PointwiseRequest{
				Prompt:   fmt.Sprintf("Write essay %d-%d about the sea", op, i),
				Response: "The sea was calm that morning.",
			})
			return err
		})
		if failed, first := Failures(errs); failed > 0 {
			b.Fatalf("%d failed: %v", failed, first)
		}
	}
	elapsed := time.Since(start)
	reqPerSec := float64(b.N*perOp) / elapsed.Seconds()
	b.ReportMetric(reqPerSec, "req/s")
	b.ReportMetric(reqPerSec/(concurrency/latency.Seconds())*100, "%ideal")
	b.ReportMetric(float64(srv.MaxInFlight()), "max-in-flight")
}
