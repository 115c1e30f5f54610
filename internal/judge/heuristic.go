package judge

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Heuristic is an offline, deterministic Judge built on text statistics. It
// is NOT a quality judge: it rewards a response for being near the requested
// length, lexically varied, free of repeated passages and for using the
// words of the prompt and criteria. Use it for demos, tests and dry runs of
// the pipelines, never for training data that matters. The zero value is
// ready to use.
//
// Features, each in [0, 1], on tokens (letter/digit runs, lowercased; each
// CJK character is its own token):
//   - length L: tokens / target, where target is the "N words" / "N 字" /
//     "N characters" found in the prompt, else TargetTokens (default 500);
//     L = ratio below 1, 1 - (ratio-1)/2 above (floored at 0).
//   - diversity D: mean type/token ratio over 50-token windows, mapped
//     linearly from 0.3..0.8 onto 0..1.
//   - repetition R: share of 5-token n-grams that repeat an earlier one.
//   - coverage C: share of the prompt's and criteria's content terms (Latin
//     words of 4+ letters not in a small stop list; CJK character bigrams)
//     found in the response; 1 when there are none.
//
// quality q = 0.3 L + 0.2 D + 0.3 C + 0.2 (1 - R), capped at 0.2 when
// R > 0.5 (severe repetition); an empty response has q = 0. Pointwise score
// = 1 + round(9 q). Pairwise: an answer with severe repetition loses to one
// without; otherwise the higher q wins unless the two differ by less than
// TieMargin (default 0.02), which is a tie [[C]]. The comparison is
// symmetric, so swapping A and B swaps the verdict.
type Heuristic struct {
	// TargetTokens is the expected length when the prompt names none (default 500).
	TargetTokens int
	// TieMargin is the quality difference below which pairwise is a tie (default 0.02).
	TieMargin float64
}

var _ Judge = Heuristic{}

// features are the heuristic's measurements of one response.
type features struct {
	Tokens     int
	Target     int
	Length     float64
	Diversity  float64
	Repetition float64
	Coverage   float64
	Quality    float64
}

// severeRepetition is the repetition share above which an answer is capped.
const severeRepetition = 0.5

// Pointwise returns the heuristic score 1..10 and a reason listing the
// features. Raw is the same result as a JSON object in the LLM reply format.
func (h Heuristic) Pointwise(ctx context.Context, req PointwiseRequest) (PointwiseResult, error) {
	if err := ctx.Err(); err != nil {
		return PointwiseResult{}, err
	}
	f := h.measure(req.Prompt, req.Criterion, req.Response)
	score := 1 + int(math.Round(9*f.Quality))
	reason := "heuristic (not a quality judge): " + f.String()
	raw, err := json.Marshal(map[string]any{"score": score, "reason": reason})
	if err != nil {
		return PointwiseResult{}, fmt.Errorf("heuristic pointwise: %w", err)
	}
	return PointwiseResult{Score: score, Reason: reason, Raw: string(raw)}, nil
}

// Pairwise compares A and B by heuristic quality and returns a short text
// whose last line is the verdict token.
func (h Heuristic) Pairwise(ctx context.Context, req PairwiseRequest) (PairwiseResult, error) {
	if err := ctx.Err(); err != nil {
		return PairwiseResult{}, err
	}
	fa := h.measure(req.Prompt, req.Criteria, req.A)
	fb := h.measure(req.Prompt, req.Criteria, req.B)
	margin := h.TieMargin
	if margin <= 0 {
		margin = 0.02
	}
	aSevere, bSevere := fa.Repetition > severeRepetition, fb.Repetition > severeRepetition
	verdict, why := "C", "the answers are about equal"
	switch {
	case aSevere && !bSevere:
		verdict, why = "B", "Answer A repeats itself severely"
	case bSevere && !aSevere:
		verdict, why = "A", "Answer B repeats itself severely"
	case fa.Quality-fb.Quality >= margin:
		verdict, why = "A", "Answer A scores higher on the heuristic"
	case fb.Quality-fa.Quality >= margin:
		verdict, why = "B", "Answer B scores higher on the heuristic"
	}
	text := fmt.Sprintf("Heuristic comparison (not a quality judge).\nAnswer A: %s\nAnswer B: %s\n%s.\n[[%s]]",
		fa, fb, why, verdict)
	return PairwiseResult{Text: text}, nil
}

// String formats the features for a reason text.
func (f features) String() string {
	return fmt.Sprintf("tokens=%d target=%d length=%.2f diversity=%.2f repetition=%.2f coverage=%.2f quality=%.3f",
		f.Tokens, f.Target, f.Length, f.Diversity, f.Repetition, f.Coverage, f.Quality)
}

// measure computes the features of response for prompt and criteria.
func (h Heuristic) measure(prompt, criteria, response string) features {
	toks := tokenize(response)
	f := features{Tokens: len(toks), Target: targetLength(prompt, h.TargetTokens)}
	if len(toks) == 0 {
		return f
	}
	ratio := float64(len(toks)) / float64(f.Target)
	if ratio <= 1 {
		f.Length = ratio
	} else {
		f.Length = max(0, 1-(ratio-1)/2)
	}
	f.Diversity = clamp01((segmentTTR(toks, 50) - 0.3) / 0.5)
	f.Repetition = repeatedShare(toks, 5)
	f.Coverage = coverage(contentTerms(tokenize(prompt+"\n"+criteria)), contentTerms(toks))
	f.Quality = 0.3*f.Length + 0.2*f.Diversity + 0.3*f.Coverage + 0.2*(1-f.Repetition)
	if f.Repetition > severeRepetition {
		f.Quality = min(f.Quality, 0.2)
	}
	return f
}

var lengthRE = regexp.MustCompile(`(?i)(\d[\d,]*)\s*(words?|字|characters?|tokens?)`)

// targetLength returns the length the prompt asks for, else def (or 500).
func targetLength(prompt string, def int) int {
	if m := lengthRE.FindStringSubmatch(prompt); m != nil {
		if n, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", "")); err == nil && n > 0 {
			return n
		}
	}
	if def > 0 {
		return def
	}
	return 500
}

// isCJK reports whether r is a character written without spaces.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// tokenize splits s into lowercased letter/digit runs; each CJK character
// is a token of its own.
func tokenize(s string) []string {
	var toks []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			toks = append(toks, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch {
		case isCJK(r):
			flush()
			toks = append(toks, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return toks
}

// segmentTTR is the mean type/token ratio over consecutive windows of size
// w; a last window shorter than w/5 is dropped unless it is the only one.
func segmentTTR(toks []string, w int) float64 {
	sum, n := 0.0, 0
	for start := 0; start < len(toks); start += w {
		seg := toks[start:min(start+w, len(toks))]
		if n > 0 && len(seg) < w/5 {
			break
		}
		seen := make(map[string]bool, len(seg))
		for _, t := range seg {
			seen[t] = true
		}
		sum += float64(len(seen)) / float64(len(seg))
		n++
	}
	return sum / float64(n)
}

// repeatedShare is the share of n-grams that already occurred earlier
// (0 when there are fewer than n tokens).
func repeatedShare(toks []string, n int) float64 {
	if len(toks) < n {
		return 0
	}
	seen := make(map[string]bool)
	repeats := 0
	total := len(toks) - n + 1
	for i := 0; i < total; i++ {
		g := strings.Join(toks[i:i+n], "\x00")
		if seen[g] {
			repeats++
		}
		seen[g] = true
	}
	return float64(repeats) / float64(total)
}

// stopWords are common English words of 4+ letters that carry no topic.
var stopWords = map[string]bool{
	"about": true, "above": true, "after": true, "again": true, "also": true, "been": true,
	"before": true, "being": true, "below": true, "between": true, "both": true, "could": true,
	"does": true, "doing": true, "down": true, "during": true, "each": true, "essay": true,
	"from": true, "further": true, "have": true, "having": true, "here": true, "into": true,
	"just": true, "more": true, "most": true, "much": true, "must": true, "only": true,
	"other": true, "over": true, "please": true, "same": true, "should": true, "some": true,
	"such": true, "than": true, "that": true, "their": true, "them": true, "then": true,
	"there": true, "these": true, "they": true, "this": true, "those": true, "through": true,
	"under": true, "until": true, "very": true, "want": true, "were": true, "what": true,
	"when": true, "where": true, "which": true, "while": true, "will": true, "with": true,
	"within": true, "without": true, "word": true, "words": true, "would": true, "write": true,
	"your": true, "response": true, "article": true, "characters": true,
}

// contentTerms returns the topic-bearing terms of a token list: Latin words
// of 4+ letters not in stopWords, and bigrams of adjacent CJK characters.
func contentTerms(toks []string) map[string]bool {
	terms := make(map[string]bool)
	for i, t := range toks {
		r := []rune(t)
		if len(r) == 1 && isCJK(r[0]) {
			if i+1 < len(toks) {
				if n := []rune(toks[i+1]); len(n) == 1 && isCJK(n[0]) {
					terms[t+toks[i+1]] = true
				}
			}
			continue
		}
		if len(r) >= 4 && !stopWords[t] {
			terms[t] = true
		}
	}
	return terms
}

// coverage is the share of want found in have; 1 when want is empty.
func coverage(want, have map[string]bool) float64 {
	if len(want) == 0 {
		return 1
	}
	hit := 0
	for t := range want {
		if have[t] {
			hit++
		}
	}
	return float64(hit) / float64(len(want))
}

func clamp01(x float64) float64 { return max(0, min(1, x)) }
