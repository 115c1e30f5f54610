package judge_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/judge/judgetest"
)

func ExampleClient_Pointwise() {
	srv := judgetest.New() // stands in for an OpenAI-compatible endpoint
	defer srv.Close()
	srv.Enqueue(judgetest.Reply{Content: "```json\n{\"score\": 8, \"reason\": \"Vivid and on topic.\"}\n```"})

	c, err := judge.NewClient(judge.ClientConfig{
		BaseURL:  srv.URL(),
		Model:    "qwen-plus",
		APIKey:   "sk-example", // in a job: judge.KeyFromEnv()
		Sampling: judge.Sampling{Temperature: 0.1, MaxTokens: 1024},
		Cache:    &judge.MemCache{},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	req := judge.PointwiseRequest{Prompt: "Write a short poem about rain.", Response: "Rain taps the tin roof..."}
	first, err := c.Pointwise(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	again, _ := c.Pointwise(context.Background(), req) // served from the cache
	st := c.Stats()
	fmt.Println(first.Score, first.Reason, again.Cached, st.HTTPCalls, st.CacheHits)
	// Output: 8 Vivid and on topic. true 1 1
}

func ExampleHeuristic_Pairwise() {
	h := judge.Heuristic{}
	res, _ := h.Pairwise(context.Background(), judge.PairwiseRequest{
		Prompt: "Write about lighthouse keepers.",
		A:      strings.Repeat("The keeper slept. ", 40),
		B:      "Lighthouse keepers trimmed wicks, logged ships and kept storms at bay through long nights.",
	})
	lines := strings.Split(res.Text, "\n")
	fmt.Println(lines[len(lines)-2])
	fmt.Println(lines[len(lines)-1])
	// Output:
	// Answer A repeats itself severely.
	// [[B]]
}
