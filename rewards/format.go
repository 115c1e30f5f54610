package rewards

// Format score values.
const (
	formatNone       = 0.0 // tags or overall shape wrong
	formatBadAnswer  = 0.2 // shape right, answer items not start-end floats
	formatUncited    = 0.6 // a timestamp is cited 0 or more than 10 times in the reasoning
	formatFull       = 1.0
	maxCitations     = 10
	maxStackSegments = 16
)

// FormatScore returns MUSEG's format score F in {0, 0.2, 0.6, 1} for a completion.
// timestampCheck turns on the phase-1 check. In Compat mode the check reads each
// answered number's Python repr as a regular expression over the reasoning and
// an empty answer gets 1; in Strict mode numbers are compared by value and an
// empty answer gets 0.2 (see docs/rewards.md).
func FormatScore(completion string, timestampCheck bool, mode Mode) float64 {
	var buf [maxStackSegments][2]float64
	t := scanTags(completion)
	think, answer, ok := t.shape(completion)
	if !ok {
		return formatNone
	}
	segs, ok := parseSegments(buf[:0], answer, mode == Strict)
	return formatOf(think, segs, ok, timestampCheck, mode)
}

// formatOf finishes the format score once the shape is known to be right.
func formatOf(think string, segs [][2]float64, parsed, timestampCheck bool, mode Mode) float64 {
	if !parsed || mode == Strict && len(segs) == 0 {
		return formatBadAnswer
	}
	if !timestampCheck {
		return formatFull
	}
	if mode == Strict {
		if !citedByValue(think, segs) {
			return formatUncited
		}
		return formatFull
	}
	for _, s := range segs {
		for _, x := range s {
			var rb [32]byte
			p := compileRepr(appendPyRepr(rb[:0], x))
			if n := p.countMatches(think, maxCitations); n < 1 || n > maxCitations {
				return formatUncited
			}
		}
	}
	return formatFull
}

// citedByValue reports whether every answered number equals, by value, between 1
// and 10 of the decimal numbers written in the reasoning (maximal runs of ASCII
// digits with an optional fraction, e.g. "8", "8.0", "8.00").
func citedByValue(think string, segs [][2]float64) bool {
	var stack [64]float64
	nums := stack[:0]
	for i := 0; i < len(think); {
		if !isDigit(think[i]) {
			i++
			continue
		}
		j := i
		for j < len(think) && isDigit(think[j]) {
			j++
		}
		if j+1 < len(think) && think[j] == '.' && isDigit(think[j+1]) {
			j++
			for j < len(think) && isDigit(think[j]) {
				j++
			}
		}
		if v, ok := parsePyFloat(think[i:j]); ok {
			nums = append(nums, v)
		}
		i = j
	}
	for _, s := range segs {
		for _, x := range s {
			n := 0
			for _, v := range nums {
				if v == x {
					n++
				}
			}
			if n < 1 || n > maxCitations {
				return false
			}
		}
	}
	return true
}
