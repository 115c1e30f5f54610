package rewards

import (
	"strings"
	"unicode/utf8"
)

// reprElem is one element of a float's repr read as a Python regular expression:
// a literal ASCII byte or '.' (any character), optionally followed by '+'.
type reprElem struct {
	c    byte // the literal, or '.' for any character
	plus bool // one or more
}

// reprPattern is a compiled repr pattern; at most 32 elements (a repr has at most 24 bytes).
type reprPattern struct {
	elems [32]reprElem
	n     int
}

// compileRepr reads the repr text p (digits, '.', 'e', '+', '-', "inf", "nan") as
// Python's re would: '.' matches any character (the reference passes re.DOTALL, so
// newline too), '+' makes the preceding element repeat one or more times, every
// other byte is a literal.
func compileRepr(p []byte) reprPattern {
	var rp reprPattern
	for i := 0; i < len(p) && rp.n < len(rp.elems); i++ {
		e := reprElem{c: p[i]}
		if i+1 < len(p) && p[i+1] == '+' {
			e.plus = true
			i++
		}
		rp.elems[rp.n] = e
		rp.n++
	}
	return rp
}

// countMatches counts non-overlapping matches of rp in text the way Python's
// re.findall does (leftmost, greedy with backtracking, resuming at the end of each
// match), stopping once limit is exceeded.
func (rp *reprPattern) countMatches(text string, limit int) int {
	if rp.n == 0 {
		return 0
	}
	count := 0
	first := rp.elems[0]
	for pos := 0; pos < len(text); {
		if first.c != '.' {
			j := indexByteFrom(text, first.c, pos)
			if j < 0 {
				break
			}
			pos = j
		}
		if end, ok := rp.matchAt(0, text, pos); ok {
			count++
			if count > limit {
				return count
			}
			if end > pos {
				pos = end
				continue
			}
		}
		pos += charLen(text, pos)
	}
	return count
}

// matchAt reports where elements k.. of rp match text starting at byte pos.
func (rp *reprPattern) matchAt(k int, text string, pos int) (int, bool) {
	if k == rp.n {
		return pos, true
	}
	e := rp.elems[k]
	if !e.plus {
		if pos >= len(text) || !e.matches(text, pos) {
			return 0, false
		}
		return rp.matchAt(k+1, text, pos+charLen(text, pos))
	}
	// greedy: take the longest run, then give back one character at a time
	end := pos
	for end < len(text) && e.matches(text, end) {
		end += charLen(text, end)
	}
	for end > pos {
		if m, ok := rp.matchAt(k+1, text, end); ok {
			return m, true
		}
		_, w := utf8.DecodeLastRuneInString(text[pos:end])
		end -= w
	}
	return 0, false
}

// matches reports whether element e matches the character at byte pos.
func (e reprElem) matches(text string, pos int) bool {
	return e.c == '.' || text[pos] == e.c
}

// charLen is the byte length of the character at pos (1 for an invalid byte).
func charLen(text string, pos int) int {
	if text[pos] < utf8.RuneSelf {
		return 1
	}
	_, w := utf8.DecodeRuneInString(text[pos:])
	return w
}

// indexByteFrom is the index of c in text at or after from, or -1.
func indexByteFrom(text string, c byte, from int) int {
	j := strings.IndexByte(text[from:], c)
	if j < 0 {
		return -1
	}
	return from + j
}
