package rewards

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode"
)

// ErrPyFloat is wrapped by ParsePyFloat for text that Python's float() rejects.
var ErrPyFloat = errors.New("not a Python float literal")

// ParsePyFloat parses s exactly as Python 3's float(s) does for a str argument:
// surrounding whitespace (Python's Unicode whitespace) is ignored; Unicode decimal
// digits (category Nd, e.g. "١٢" or "１.５") count as ASCII digits; an optional sign;
// decimal digits with an optional '.' and an optional exponent ("1e1", "5.", ".5");
// single underscores between digits ("1_0"); and, case-insensitively, "inf",
// "infinity" and "nan". Out-of-range values give ±Inf or 0 as Python does. Hex
// floats, "1__0", "_1", "1_" and the empty string are rejected with ErrPyFloat.
func ParsePyFloat(s string) (float64, error) {
	if f, ok := parsePyFloat(s); ok {
		return f, nil
	}
	return 0, fmt.Errorf("parse %q: %w", s, ErrPyFloat)
}

// parsePyFloat is ParsePyFloat without the error value; it does not allocate for
// plain ASCII literals.
func parsePyFloat(s string) (float64, bool) {
	if isPlainASCIINumber(s) {
		return finishPyFloat(s)
	}
	var stack [64]byte
	b, ok := transformDecimalAndSpace(stack[:0], s)
	if !ok {
		return 0, false
	}
	b = trimASCIISpace(b)
	b, ok = removeUnderscores(b)
	if !ok {
		return 0, false
	}
	return finishPyFloat(string(b))
}

// isPlainASCIINumber reports whether s holds only the bytes a float literal needs
// without translation: ASCII letters, digits, '.', '+' and '-'.
func isPlainASCIINumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '+' || c == '-' || c|0x20 >= 'a' && c|0x20 <= 'z') {
			return false
		}
	}
	return true
}

// transformDecimalAndSpace appends s to dst the way CPython prepares float()
// input: ASCII characters stay, other whitespace becomes ' ', other decimal digits
// become their ASCII digit, anything else fails.
func transformDecimalAndSpace(dst []byte, s string) ([]byte, bool) {
	for _, r := range s {
		switch {
		case r < 127:
			dst = append(dst, byte(r))
		case isPySpace(r):
			dst = append(dst, ' ')
		default:
			d, ok := decimalValue(r)
			if !ok {
				return dst, false
			}
			dst = append(dst, byte('0'+d))
		}
	}
	return dst, true
}

// decimalValue returns the digit value of a Unicode decimal digit (category Nd).
// Every Nd run in Unicode is a 0..9 sequence (or several back to back), so the
// value is the rune's offset in its run modulo 10.
func decimalValue(r rune) (int, bool) {
	if !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	n := 0
	for unicode.Is(unicode.Nd, r-rune(n)-1) {
		n++
	}
	return n % 10, true
}

// trimASCIISpace removes the whitespace CPython strips (space, \t, \n, \v, \f, \r).
func trimASCIISpace(b []byte) []byte {
	isSp := func(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }
	for len(b) > 0 && isSp(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSp(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// removeUnderscores drops underscores that stand between two digits and fails on
// any other underscore, as CPython does for number literals given to float().
func removeUnderscores(b []byte) ([]byte, bool) {
	out := b[:0]
	var prev byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '_' {
			if !isDigit(prev) || i+1 >= len(b) || !isDigit(b[i+1]) {
				return nil, false
			}
		} else {
			out = append(out, c)
		}
		prev = c
	}
	return out, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// finishPyFloat checks s against Python's float grammar (sign, digits, point,
// exponent, inf/infinity/nan) and converts it.
func finishPyFloat(s string) (float64, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	rest := s[i:]
	if len(rest) > 0 && !isDigit(rest[0]) && rest[0] != '.' {
		switch {
		case equalFold(rest, "inf") || equalFold(rest, "infinity"):
			if neg {
				return math.Inf(-1), true
			}
			return math.Inf(1), true
		case equalFold(rest, "nan"):
			return math.NaN(), true
		}
		return 0, false
	}
	if !isDecimalLiteral(rest) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, true
}

// isDecimalLiteral reports whether s is digits[.digits][e[sign]digits] with at
// least one mantissa digit (either side of the point) and no sign.
func isDecimalLiteral(s string) bool {
	i, mant := 0, 0
	for i < len(s) && isDigit(s[i]) {
		i++
		mant++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			mant++
		}
	}
	if mant == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && isDigit(s[i]) {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// equalFold reports whether s equals the lower-case ASCII word w, ignoring ASCII case.
func equalFold(s, w string) bool {
	if len(s) != len(w) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i]|0x20 != w[i] {
			return false
		}
	}
	return true
}
