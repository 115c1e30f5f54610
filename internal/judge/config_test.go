package judge

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/internal/judge/judgetest"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		c       Config
		wantErr string
	}{
		{"heuristic", Config{Kind: "heuristic"}, ""},
		{"openai", Config{Kind: "openai", BaseURL: "http://x/v1", Model: "m"}, ""},
		{"openai without model", Config{Kind: "openai", BaseURL: "http://x/v1"}, "--judge-model"},
		{"openai with a bad template", Config{Kind: "openai", BaseURL: "http://x/v1", Model: "m", PairwiseTemplate: "{{.Nope"}, "pairwise"},
		{"unknown kind", Config{Kind: "oracle"}, "unknown judge"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.Validate()
			if (tc.wantErr == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Validate() = %v, want error containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestConfigWorkers(t *testing.T) {
	tests := []struct {
		name               string
		c                  Config
		perSample, samples int
	}{
		{"heuristic", Config{Kind: "heuristic", Concurrency: 32}, 1, 4},
		{"openai default", Config{Kind: "openai"}, DefaultConcurrency, 16},
		{"openai small", Config{Kind: "openai", Concurrency: 2}, 2, 8},
		{"openai large", Config{Kind: "openai", Concurrency: 20}, 20, 40},
	}
	for _, tc := range tests {
		if p, s := tc.c.Workers(); p != tc.perSample || s != tc.samples {
			t.Errorf("%s: Workers() = %d, %d; want %d, %d", tc.name, p, s, tc.perSample, tc.samples)
		}
	}
}

func TestConfigDescribe(t *testing.T) {
	if got := (Config{Kind: "heuristic", Model: "m"}).Describe(); len(got) != 1 || got["kind"] != "heuristic" {
		t.Errorf("heuristic Describe() = %v", got)
	}
	d := Config{Kind: "openai", BaseURL: "http://x/v1", Model: "m", Seed: 3, HasSeed: true}.Describe()
	if d["model"] != "m" || *d["seed"].(*int) != 3 || d["pairwise_template"] != DefaultPairwise().Version {
		t.Errorf("openai Describe() = %v", d)
	}
	if d := (Config{Kind: "openai", PointwiseTemplate: "{{.Nope"}).Describe(); d["pointwise_template"] != "invalid" {
		t.Errorf("a bad template is described as %v, want invalid", d["pointwise_template"])
	}
}

func TestNew(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	cache := filepath.Join(t.TempDir(), "cache")
	tests := []struct {
		name    string
		c       Config
		wantErr bool
	}{
		{"heuristic", Config{Kind: "heuristic"}, false},
		{"openai with a local cache", Config{Kind: "openai", BaseURL: srv.URL(), Model: "m", Cache: cache, PairwiseVerdict: true}, false},
		{"invalid", Config{Kind: "openai"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j, err := New(tc.c)
			if tc.wantErr {
				if err == nil {
					t.Fatal("New accepted an invalid config")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := j.Pointwise(context.Background(), PointwiseRequest{Prompt: "p", Response: "r"}); err != nil {
				t.Fatal(err)
			}
			if st := j.Stats(); st.Requests != 1 || st.Failures != 0 {
				t.Errorf("stats after one call: %+v", st)
			}
		})
	}
	if _, err := os.Stat(cache); err != nil {
		t.Errorf("the local cache folder was not created: %v", err)
	}
}

func TestNewRejectsPairwiseWithoutVerdict(t *testing.T) {
	srv := judgetest.New()
	defer srv.Close()
	srv.Handle(func(judgetest.Request) judgetest.Reply { return judgetest.Reply{Content: "I cannot decide."} })
	j, err := New(Config{Kind: "openai", BaseURL: srv.URL(), Model: "m", MaxAttempts: 1, PairwiseVerdict: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.Pairwise(context.Background(), PairwiseRequest{Prompt: "p", A: "a", B: "b"}); err == nil || !strings.Contains(err.Error(), "no verdict") {
		t.Errorf("err = %v, want a reply without a verdict rejected", err)
	}
}

func TestStatsSub(t *testing.T) {
	a := Stats{Requests: 5, HTTPCalls: 4, CacheHits: 1, PromptTokens: 100, CostUSD: 0.5}
	b := Stats{Requests: 2, HTTPCalls: 1, PromptTokens: 40, CostUSD: 0.25}
	if got := a.Sub(b); got.Add(b) != a || got.Requests != 3 || got.CostUSD != 0.25 {
		t.Errorf("Sub = %+v", got)
	}
}
