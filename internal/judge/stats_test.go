package judge

import (
	"encoding/json"
	"testing"
)

func TestStatsAddAndJSON(t *testing.T) {
	a := Stats{Requests: 10, HTTPCalls: 12, Retries: 2, CacheHits: 1, Deduplicated: 3, Failures: 1,
		BadReplies: 1, CacheErrors: 1, PromptTokens: 5000, CompletionTokens: 700, CostUSD: 0.25}
	b := Stats{Requests: 5, HTTPCalls: 5, CacheHits: 4, PromptTokens: 100, CompletionTokens: 10, CostUSD: 0.5}
	want := Stats{Requests: 15, HTTPCalls: 17, Retries: 2, CacheHits: 5, Deduplicated: 3, Failures: 1,
		BadReplies: 1, CacheErrors: 1, PromptTokens: 5100, CompletionTokens: 710, CostUSD: 0.75}
	tests := []struct {
		name string
		got  Stats
		want Stats
	}{
		{name: "add", got: a.Add(b), want: want},
		{name: "add commutes", got: b.Add(a), want: want},
		{name: "sum", got: SumStats(a, b), want: want},
		{name: "sum of none", got: SumStats(), want: Stats{}},
		{name: "zero is identity", got: a.Add(Stats{}), want: a},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %+v, want %+v", tc.got, tc.want)
			}
		})
	}
	b2, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var back Stats
	if err := json.Unmarshal(b2, &back); err != nil || back != want {
		t.Errorf("JSON round trip = %+v, %v", back, err)
	}
	var fields map[string]any
	if err := json.Unmarshal(b2, &fields); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"requests", "http_calls", "cache_hits", "failures", "retries", "prompt_tokens", "completion_tokens", "cost_usd"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b2)
		}
	}
}

func TestPricesCost(t *testing.T) {
	tests := []struct {
		name       string
		p          Prices
		in, out    int64
		wantDollar float64
	}{
		{name: "one million each", p: Prices{InputPerMTok: 0.8, OutputPerMTok: 2}, in: 1_000_000, out: 1_000_000, wantDollar: 2.8},
		{name: "free", p: Prices{}, in: 5000, out: 5000, wantDollar: 0},
		{name: "small", p: Prices{InputPerMTok: 2.5, OutputPerMTok: 10}, in: 2000, out: 500, wantDollar: 0.005 + 0.005},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.p.Cost(tc.in, tc.out)
			if d := got - tc.wantDollar; d > 1e-12 || d < -1e-12 {
				t.Errorf("Cost = %v, want %v", got, tc.wantDollar)
			}
		})
	}
}
