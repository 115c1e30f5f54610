package report

import (
	"math"
	"strconv"
	"strings"
)

// formatCount formats n with thousands separators: 12600 -> "12,600".
func formatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatNum formats v with at most prec decimals, trailing zeros removed:
// formatNum(1.50, 3) = "1.5", formatNum(2, 3) = "2". NaN and infinities are
// spelled "NaN", "+Inf", "-Inf".
func formatNum(v float64, prec int) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	if math.IsInf(v, 1) {
		return "+Inf"
	}
	if math.IsInf(v, -1) {
		return "-Inf"
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// formatPercent formats a fraction as a percentage with one decimal.
func formatPercent(frac float64) string {
	return strconv.FormatFloat(frac*100, 'f', 1, 64) + "%"
}

// px formats a pixel coordinate with one decimal, trailing zeros removed.
func px(v float64) string { return formatNum(v, 1) }

// tickText formats an axis tick with dec decimals, with thousands
// separators for whole numbers of 1,000 or more.
func tickText(v float64, dec int) string {
	if dec == 0 && math.Abs(v) >= 1000 && math.Abs(v) < 1e15 {
		return formatCount(int64(math.Round(v)))
	}
	return formatNum(v, dec)
}
