package judge

// span is a byte range [from, to) of a reply.
type span struct{ from, to int }

// maxDepth bounds the nesting a scan follows, as encoding/json bounds its own; deeper
// input is invalid there.
const maxDepth = 10000

// objectScanner checks JSON syntax from one '{' of a reply, in one pass. It records the
// objects inside that were complete and valid before the first error, keeping only the
// outermost of nested ones (those are the objects a reply's text could mean).
type objectScanner struct {
	s     string
	pos   int
	depth int
	done  []span
}

// scanObjects scans the JSON object starting at s[start] ('{'). It returns the valid
// outermost objects found, in order: just the one at start when it is valid, else those
// inside it that completed before the error. next is where a later scan must start: after
// the object, or at the error (never before start+1), so a reply is read in linear time.
func scanObjects(s string, start int) (objects []span, next int) {
	sc := &objectScanner{s: s, pos: start}
	if sc.object() {
		return []span{{start, sc.pos}}, sc.pos
	}
	return sc.done, max(sc.pos, start+1)
}

func (sc *objectScanner) peek() byte {
	if sc.pos < len(sc.s) {
		return sc.s[sc.pos]
	}
	return 0
}

func (sc *objectScanner) space() {
	for sc.pos < len(sc.s) {
		switch sc.s[sc.pos] {
		case ' ', '\t', '\n', '\r':
			sc.pos++
		default:
			return
		}
	}
}

// value scans one JSON value at pos and reports whether it is valid; pos is then after
// it, or at the error.
func (sc *objectScanner) value() bool {
	sc.space()
	switch c := sc.peek(); {
	case c == '{':
		return sc.object()
	case c == '[':
		return sc.array()
	case c == '"':
		return sc.str()
	case c == '-' || c >= '0' && c <= '9':
		return sc.number()
	}
	for _, lit := range []string{"true", "false", "null"} {
		if len(sc.s)-sc.pos >= len(lit) && sc.s[sc.pos:sc.pos+len(lit)] == lit {
			sc.pos += len(lit)
			return true
		}
	}
	return false
}

// object scans an object at pos ('{') and records it in done when it is valid.
func (sc *objectScanner) object() bool {
	if sc.depth++; sc.depth > maxDepth {
		return false
	}
	defer func() { sc.depth-- }()
	from := sc.pos
	sc.pos++ // '{'
	sc.space()
	if sc.peek() != '}' {
		for {
			sc.space()
			if sc.peek() != '"' || !sc.str() {
				return false
			}
			sc.space()
			if sc.peek() != ':' {
				return false
			}
			sc.pos++
			if !sc.value() {
				return false
			}
			sc.space()
			if sc.peek() != ',' {
				break
			}
			sc.pos++
		}
		if sc.peek() != '}' {
			return false
		}
	}
	sc.pos++ // '}'
	for len(sc.done) > 0 && sc.done[len(sc.done)-1].from > from {
		sc.done = sc.done[:len(sc.done)-1] // nested in this one
	}
	sc.done = append(sc.done, span{from, sc.pos})
	return true
}

// array scans an array at pos ('[').
func (sc *objectScanner) array() bool {
	if sc.depth++; sc.depth > maxDepth {
		return false
	}
	defer func() { sc.depth-- }()
	sc.pos++ // '['
	sc.space()
	if sc.peek() == ']' {
		sc.pos++
		return true
	}
	for {
		if !sc.value() {
			return false
		}
		sc.space()
		switch sc.peek() {
		case ',':
			sc.pos++
		case ']':
			sc.pos++
			return true
		default:
			return false
		}
	}
}

// str scans a string at pos ('"').
func (sc *objectScanner) str() bool {
	sc.pos++ // opening quote
	for sc.pos < len(sc.s) {
		c := sc.s[sc.pos]
		switch {
		case c == '"':
			sc.pos++
			return true
		case c < 0x20:
			return false
		case c == '\\':
			sc.pos++
			switch sc.peek() {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				sc.pos++
			case 'u':
				sc.pos++
				for range 4 {
					if !isHex(sc.peek()) {
						return false
					}
					sc.pos++
				}
			default:
				return false
			}
		default:
			sc.pos++
		}
	}
	return false
}

// number scans a JSON number at pos.
func (sc *objectScanner) number() bool {
	if sc.peek() == '-' {
		sc.pos++
	}
	switch c := sc.peek(); {
	case c == '0':
		sc.pos++
	case c >= '1' && c <= '9':
		sc.digits()
	default:
		return false
	}
	if sc.peek() == '.' {
		sc.pos++
		if !sc.digits() {
			return false
		}
	}
	if c := sc.peek(); c == 'e' || c == 'E' {
		sc.pos++
		if c := sc.peek(); c == '+' || c == '-' {
			sc.pos++
		}
		if !sc.digits() {
			return false
		}
	}
	return true
}

// digits scans one or more digits and reports whether there was one.
func (sc *objectScanner) digits() bool {
	from := sc.pos
	for c := sc.peek(); c >= '0' && c <= '9'; c = sc.peek() {
		sc.pos++
	}
	return sc.pos > from
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
