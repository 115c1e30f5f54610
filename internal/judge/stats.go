package judge

import (
	"sync"

	"github.com/rlcurate/rlcurate/internal/progress"
)

// Prices are a judge model's prices in US dollars per million tokens.
type Prices struct {
	InputPerMTok  float64 `json:"input_usd_per_mtok"`
	OutputPerMTok float64 `json:"output_usd_per_mtok"`
}

// Cost returns the dollar cost of the given token counts.
func (p Prices) Cost(promptTokens, completionTokens int64) float64 {
	return (float64(promptTokens)*p.InputPerMTok + float64(completionTokens)*p.OutputPerMTok) / 1e6
}

// Stats is a snapshot of a judge's accounting. It is JSON-serialisable for
// the run manifest, and snapshots from several workers combine with Add.
type Stats struct {
	// Requests is the number of Pointwise/Pairwise calls received.
	Requests int64 `json:"requests"`
	// HTTPCalls is the number of HTTP attempts sent (retries included).
	HTTPCalls int64 `json:"http_calls"`
	// Retries is the number of attempts after a request's first one.
	Retries int64 `json:"retries"`
	// CacheHits is the number of requests answered from the cache.
	CacheHits int64 `json:"cache_hits"`
	// Deduplicated is the number of requests that shared the reply of an
	// identical request already in flight (no HTTP call of their own).
	Deduplicated int64 `json:"deduplicated"`
	// Failures is the number of requests that returned an error (failed
	// calls and unusable replies); callers dead-letter these.
	Failures int64 `json:"failures"`
	// BadReplies is the number of replies rejected as unusable (no or
	// invalid score, empty text), including ones later retried.
	BadReplies int64 `json:"bad_replies"`
	// CacheErrors counts cache reads or writes that failed (a failed read
	// is treated as a miss, a failed write loses only the saving).
	CacheErrors int64 `json:"cache_errors"`
	// AuthFailures is the number of requests refused with 401/403, or not sent because
	// an earlier one was: a job with any fails (the key or endpoint is wrong).
	AuthFailures int64 `json:"auth_failures,omitempty"`
	// PromptTokens and CompletionTokens are the tokens the endpoint reported
	// for successful HTTP calls (cache hits cost nothing).
	PromptTokens     int64 `json:"prompt_tokens"`
	CompletionTokens int64 `json:"completion_tokens"`
	// CostUSD is the cost of those tokens at the configured prices.
	CostUSD float64 `json:"cost_usd"`
}

// Add returns the field-by-field sum of s and o.
func (s Stats) Add(o Stats) Stats {
	return Stats{
		Requests:         s.Requests + o.Requests,
		HTTPCalls:        s.HTTPCalls + o.HTTPCalls,
		Retries:          s.Retries + o.Retries,
		CacheHits:        s.CacheHits + o.CacheHits,
		Deduplicated:     s.Deduplicated + o.Deduplicated,
		Failures:         s.Failures + o.Failures,
		BadReplies:       s.BadReplies + o.BadReplies,
		CacheErrors:      s.CacheErrors + o.CacheErrors,
		AuthFailures:     s.AuthFailures + o.AuthFailures,
		PromptTokens:     s.PromptTokens + o.PromptTokens,
		CompletionTokens: s.CompletionTokens + o.CompletionTokens,
		CostUSD:          s.CostUSD + o.CostUSD,
	}
}

// Sub returns the field-by-field difference s - o: the usage between two snapshots.
func (s Stats) Sub(o Stats) Stats {
	return Stats{
		Requests:         s.Requests - o.Requests,
		HTTPCalls:        s.HTTPCalls - o.HTTPCalls,
		Retries:          s.Retries - o.Retries,
		CacheHits:        s.CacheHits - o.CacheHits,
		Deduplicated:     s.Deduplicated - o.Deduplicated,
		Failures:         s.Failures - o.Failures,
		BadReplies:       s.BadReplies - o.BadReplies,
		CacheErrors:      s.CacheErrors - o.CacheErrors,
		AuthFailures:     s.AuthFailures - o.AuthFailures,
		PromptTokens:     s.PromptTokens - o.PromptTokens,
		CompletionTokens: s.CompletionTokens - o.CompletionTokens,
		CostUSD:          s.CostUSD - o.CostUSD,
	}
}

// SumStats returns the sum of all snapshots (the zero Stats for none).
func SumStats(all ...Stats) Stats {
	var total Stats
	for _, s := range all {
		total = total.Add(s)
	}
	return total
}

// meter accumulates Stats under a mutex.
type meter struct {
	mu     sync.Mutex
	s      Stats
	prices Prices
}

// update changes the stats under the lock and passes the calls, cache hits and cost it
// added on to the progress line.
func (m *meter) update(f func(s *Stats)) {
	m.mu.Lock()
	before := m.s
	f(&m.s)
	after := m.s
	m.mu.Unlock()
	progress.AddJudge(after.HTTPCalls-before.HTTPCalls, after.CacheHits-before.CacheHits, after.CostUSD-before.CostUSD)
}

func (m *meter) addTokens(prompt, completion int64) {
	m.update(func(s *Stats) {
		s.PromptTokens += prompt
		s.CompletionTokens += completion
		s.CostUSD += m.prices.Cost(prompt, completion)
	})
}

func (m *meter) snapshot() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.s
}
