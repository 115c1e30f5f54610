package judge

import (
	"context"
	"strings"
	"testing"
)

// essay returns n distinct-ish English sentences about a topic.
func essay(topic string, n int) string {
	subjects := []string{"river", "market", "teacher", "winter", "harbor", "garden", "letter", "engine", "village", "storm"}
	verbs := []string{"changed", "shaped", "carried", "opened", "quieted", "remembered", "followed", "divided"}
	var b strings.Builder
	for i := range n {
		b.WriteString("The " + subjects[i%len(subjects)] + " " + verbs[(i*3)%len(verbs)] + " the " + topic +
			" in season " + string(rune('a'+i%26)) + string(rune('a'+(i/26)%26)) + " while neighbours argued about its meaning. ")
	}
	return b.String()
}

func TestHeuristicPointwise(t *testing.T) {
	h := Heuristic{}
	prompt := "Write a 300 words essay about lighthouse keepers"
	good := essay("lighthouse keepers", 25)
	repeated := strings.Repeat("The lighthouse keepers watched the sea. ", 60)
	tests := []struct {
		name     string
		prompt   string
		response string
		min, max int
	}{
		{name: "empty response scores 1", prompt: prompt, response: "", min: 1, max: 1},
		{name: "severe repetition capped", prompt: prompt, response: repeated, min: 1, max: 3},
		{name: "on-topic varied essay near length", prompt: prompt, response: good, min: 7, max: 10},
		{name: "off-topic short answer", prompt: prompt, response: "Bananas are yellow.", min: 1, max: 5},
		{name: "chinese essay", prompt: "写一篇关于灯塔守护者的文章", response: "灯塔守护者每天夜里点亮灯火，守护过往的船只。", min: 1, max: 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := PointwiseRequest{Prompt: tc.prompt, Response: tc.response}
			a, err := h.Pointwise(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			b, err := h.Pointwise(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if a != b {
				t.Errorf("not deterministic: %+v vs %+v", a, b)
			}
			if a.Score < tc.min || a.Score > tc.max {
				t.Errorf("score %d, want %d..%d (%s)", a.Score, tc.min, tc.max, a.Reason)
			}
			score, _, err := ParsePointwise(a.Raw)
			if err != nil || score != a.Score {
				t.Errorf("Raw %q does not parse to the score: %d, %v", a.Raw, score, err)
			}
		})
	}
}

func verdictOf(text string) string {
	i := strings.LastIndex(text, "[[")
	if i < 0 || !strings.HasSuffix(text, "]]") {
		return ""
	}
	return text[i:]
}

func TestHeuristicPairwise(t *testing.T) {
	h := Heuristic{}
	prompt := "Write a 300 words essay about lighthouse keepers"
	good := essay("lighthouse keepers", 25)
	repeated := strings.Repeat("The lighthouse keepers watched the sea. ", 60)
	tests := []struct {
		name string
		a, b string
		want string
	}{
		{name: "repetition loses as B", a: good, b: repeated, want: "[[A]]"},
		{name: "repetition loses as A", a: repeated, b: good, want: "[[B]]"},
		{name: "identical answers tie", a: good, b: good, want: "[[C]]"},
		{name: "off-topic loses", a: "Bananas are yellow.", b: good, want: "[[B]]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := PairwiseRequest{Prompt: prompt, A: tc.a, B: tc.b}
			res, err := h.Pairwise(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if got := verdictOf(res.Text); got != tc.want {
				t.Errorf("verdict %q, want %q\n%s", got, tc.want, res.Text)
			}
			again, _ := h.Pairwise(context.Background(), req)
			if again != res {
				t.Error("not deterministic")
			}
			swapped, err := h.Pairwise(context.Background(), PairwiseRequest{Prompt: prompt, A: tc.b, B: tc.a})
			if err != nil {
				t.Fatal(err)
			}
			mirror := map[string]string{"[[A]]": "[[B]]", "[[B]]": "[[A]]", "[[C]]": "[[C]]"}[tc.want]
			if got := verdictOf(swapped.Text); got != mirror {
				t.Errorf("swapped verdict %q, want %q", got, mirror)
			}
		})
	}
}

func TestTokenizeAndTarget(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{name: "latin lowercased", in: "Hello, World! 42x", want: []string{"hello", "world", "42x"}},
		{name: "cjk per character", in: "灯塔 keeper守", want: []string{"灯", "塔", "keeper", "守"}},
		{name: "empty", in: "", want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tokenize(tc.in)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("tokenize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	targets := []struct {
		prompt string
		want   int
	}{
		{prompt: "Write a 1,500 words story", want: 1500},
		{prompt: "写一篇3000字的文章", want: 3000},
		{prompt: "Write a story", want: 500},
	}
	for _, tc := range targets {
		if got := targetLength(tc.prompt, 0); got != tc.want {
			t.Errorf("targetLength(%q) = %d, want %d", tc.prompt, got, tc.want)
		}
	}
}

func TestRepeatedShare(t *testing.T) {
	tests := []struct {
		name string
		toks []string
		want float64
	}{
		{name: "no repeats", toks: strings.Fields("a b c d e f g"), want: 0},
		{name: "too short", toks: strings.Fields("a b"), want: 0},
		// "a b c d e" twice: 10 tokens, 6 5-grams, the 6th equals the 1st.
		{name: "one repeat", toks: strings.Fields("a b c d e a b c d e"), want: 1.0 / 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := repeatedShare(tc.toks, 5); got != tc.want {
				t.Errorf("repeatedShare = %v, want %v", got, tc.want)
			}
		})
	}
}
