package serve

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// latencyBuckets are the upper bounds (seconds) of the request latency histogram.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}

// metrics are the service's counters, written in Prometheus text format.
type metrics struct {
	mu        sync.Mutex
	requests  map[int]int64    // by HTTP status
	rewards   map[string]int64 // by branch
	errors    map[string]int64 // by Error.Kind
	outcomes  map[string]int64 // judge outcomes
	moves     int64
	stale     int64
	replays   int64 // requests whose id had already been applied
	nonfinite int64
	inFlight  int64
	buckets   []int64 // per latencyBuckets, then +Inf
	sum       float64
	count     int64
}

func newMetrics() *metrics {
	return &metrics{requests: map[int]int64{}, rewards: map[string]int64{}, errors: map[string]int64{},
		outcomes: map[string]int64{}, buckets: make([]int64, len(latencyBuckets)+1)}
}

func (m *metrics) begin() {
	m.mu.Lock()
	m.inFlight++
	m.mu.Unlock()
}

// end records a finished request: its status, error kind ("" for none) and latency.
func (m *metrics) end(status int, kind string, d time.Duration) {
	sec := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.inFlight--
	m.requests[status]++
	if kind != "" {
		m.errors[kind]++
	}
	i := sort.SearchFloat64s(latencyBuckets, sec) // first bound >= sec
	m.buckets[i]++
	m.sum += sec
	m.count++
}

func (m *metrics) add(f func(m *metrics)) {
	m.mu.Lock()
	f(m)
	m.mu.Unlock()
}

// write prints the metrics in Prometheus text exposition format 0.0.4.
func (m *metrics) write(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	counter := func(name, help string) { fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", name, help, name) }
	counter("rlcurate_reward_requests_total", "Reward requests answered, by HTTP status.")
	for _, k := range sortedInts(m.requests) {
		fmt.Fprintf(w, "rlcurate_reward_requests_total{code=\"%d\"} %d\n", k, m.requests[k])
	}
	counter("rlcurate_rewards_total", "Rewards returned, by branch.")
	for _, k := range []string{"museg", "writing"} {
		fmt.Fprintf(w, "rlcurate_rewards_total{branch=%q} %d\n", k, m.rewards[k])
	}
	counter("rlcurate_reward_errors_total", "Failed reward requests, by kind.")
	for _, k := range []string{"bad_request", "busy", "timeout", "judge", "schedule", "unauthorized"} {
		fmt.Fprintf(w, "rlcurate_reward_errors_total{kind=%q} %d\n", k, m.errors[k])
	}
	counter("rlcurate_judge_outcomes_total", "Pairwise outcomes of writing completions against their reference.")
	for _, k := range []string{"win", "tie", "loss"} {
		fmt.Fprintf(w, "rlcurate_judge_outcomes_total{outcome=%q} %d\n", k, m.outcomes[k])
	}
	counter("rlcurate_schedule_moves_total", "Reference schedule moves made.")
	fmt.Fprintf(w, "rlcurate_schedule_moves_total %d\n", m.moves)
	counter("rlcurate_schedule_stale_total", "Outcomes not applied because the sample's reference moved while it was judged.")
	fmt.Fprintf(w, "rlcurate_schedule_stale_total %d\n", m.stale)
	counter("rlcurate_schedule_replays_total", "Writing requests whose request_id had already been applied: rewarded again, not recorded again.")
	fmt.Fprintf(w, "rlcurate_schedule_replays_total %d\n", m.replays)
	counter("rlcurate_museg_nonfinite_total", "MUSEG totals that were not finite (compat NaN) and were returned as 0.")
	fmt.Fprintf(w, "rlcurate_museg_nonfinite_total %d\n", m.nonfinite)
	fmt.Fprintf(w, "# HELP rlcurate_reward_in_flight Reward requests being handled.\n# TYPE rlcurate_reward_in_flight gauge\nrlcurate_reward_in_flight %d\n", m.inFlight)
	fmt.Fprintf(w, "# HELP rlcurate_reward_request_seconds Reward request latency.\n# TYPE rlcurate_reward_request_seconds histogram\n")
	var cum int64
	for i, b := range latencyBuckets {
		cum += m.buckets[i]
		fmt.Fprintf(w, "rlcurate_reward_request_seconds_bucket{le=\"%g\"} %d\n", b, cum)
	}
	cum += m.buckets[len(latencyBuckets)]
	fmt.Fprintf(w, "rlcurate_reward_request_seconds_bucket{le=\"+Inf\"} %d\n", cum)
	fmt.Fprintf(w, "rlcurate_reward_request_seconds_sum %g\nrlcurate_reward_request_seconds_count %d\n", m.sum, m.count)
}

func sortedInts(m map[int]int64) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}
