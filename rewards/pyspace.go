package rewards

// isPySpace reports whether r is whitespace for Python 3's str.isspace, str.split()
// and the re module's \s in str patterns (all three use the same table). It is
// Go's unicode.IsSpace plus the ASCII separators U+001C..U+001F.
func isPySpace(r rune) bool {
	switch {
	case r <= 0x20:
		return r == ' ' || (r >= '\t' && r <= '\r') || (r >= 0x1c && r <= 0x1f)
	case r < 0x85:
		return false
	}
	switch r {
	case 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// isPySpaceOnly reports whether every character of s is Python whitespace
// (true for the empty string).
func isPySpaceOnly(s string) bool {
	for _, r := range s {
		if !isPySpace(r) {
			return false
		}
	}
	return true
}

// nextPyField returns the first field of s as Python's str.split() (no arguments)
// would split it, and the rest of s after that field. field is empty when s holds
// only whitespace.
func nextPyField(s string) (field, rest string) {
	start := -1
	for i, r := range s {
		if isPySpace(r) {
			if start >= 0 {
				return s[start:i], s[i:]
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start < 0 {
		return "", ""
	}
	return s[start:], ""
}
