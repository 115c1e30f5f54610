package annotations

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanQuery trims whitespace and trailing periods from a query, so it can sit
// inside quotes in a question ("a person opens a door." -> "a person opens a
// door"). An all-period or blank query becomes "".
func CleanQuery(q string) string {
	q = strings.TrimSpace(q)
	for strings.HasSuffix(q, ".") {
		q = strings.TrimSpace(strings.TrimSuffix(q, "."))
	}
	return q
}

// QuotedSpan returns the text between the first opening single quote and the
// last closing single quote of s, and whether such a span was found. An
// opening quote is one not preceded by a letter or digit; a closing quote is
// one not followed by a letter or digit. So apostrophes inside words
// ("person's", "video's") neither open nor close the span:
// "the query 'a man's hat' in the video's" gives "a man's hat".
func QuotedSpan(s string) (string, bool) {
	open := -1
	for i, r := range s {
		if r == '\'' && !wordRuneBefore(s, i) {
			open = i
			break
		}
	}
	if open < 0 {
		return "", false
	}
	closing := -1
	for i := len(s) - 1; i > open; i-- {
		if s[i] == '\'' && !wordRuneAfter(s, i) {
			closing = i
			break
		}
	}
	if closing < 0 {
		return "", false
	}
	span := strings.TrimSpace(s[open+1 : closing])
	return span, span != ""
}

func wordRuneBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func wordRuneAfter(s string, i int) bool {
	if i+1 >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i+1:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// stripMediaTokens removes the <image>/<video> placeholders E.T. Instruct and
// LLaVA-style data put at the start of the human turn, and trims whitespace.
func stripMediaTokens(s string) string {
	for _, tok := range []string{"<image>", "<video>"} {
		s = strings.ReplaceAll(s, tok, "")
	}
	return strings.TrimSpace(s)
}

// ExtractQuery gets the query out of a human turn or question text: media
// placeholders are removed, then the quoted span (see QuotedSpan) is taken.
// When nothing is quoted it falls back to the whole cleaned text and reports
// fromQuote = false. The result is passed through CleanQuery.
func ExtractQuery(text string) (query string, fromQuote bool) {
	text = stripMediaTokens(text)
	if span, ok := QuotedSpan(text); ok {
		return CleanQuery(span), true
	}
	return CleanQuery(text), false
}
