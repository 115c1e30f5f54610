package rewards

import "strings"

const (
	tagThink     = "<think>"
	tagThinkEnd  = "</think>"
	tagAnswer    = "<answer>"
	tagAnswerEnd = "</answer>"
)

// tags records where and how often each MUSEG tag occurs in a completion.
type tags struct {
	first [4]int // first byte offset of <think>, </think>, <answer>, </answer>; -1 if absent
	count [4]int
}

// scanTags finds the four tags in one pass over s. No tag can overlap another
// (each has a single '<', at its start), so counting at every '<' equals
// Python's non-overlapping re.findall counts.
func scanTags(s string) tags {
	t := tags{first: [4]int{-1, -1, -1, -1}}
	for i := 0; ; i++ {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			return t
		}
		i += j
		rest := s[i:]
		k := -1
		switch {
		case strings.HasPrefix(rest, tagThink):
			k = 0
		case strings.HasPrefix(rest, tagThinkEnd):
			k = 1
		case strings.HasPrefix(rest, tagAnswer):
			k = 2
		case strings.HasPrefix(rest, tagAnswerEnd):
			k = 3
		}
		if k >= 0 {
			if t.count[k] == 0 {
				t.first[k] = i
			}
			t.count[k]++
		}
	}
}

// answerText returns the text between the single <answer> and the single
// </answer>, as the reference's matching rewards read it (think tags are not
// required). ok is false unless each answer tag occurs exactly once, in order.
func (t tags) answerText(s string) (string, bool) {
	if t.count[2] != 1 || t.count[3] != 1 || t.first[3] < t.first[2] {
		return "", false
	}
	return s[t.first[2]+len(tagAnswer) : t.first[3]], true
}

// shape returns the think and answer texts when s has the released format: each
// tag exactly once and the whole text matching
// ^\s*<think>(.*?)</think>\s*<answer>(.*?)</answer>\s*$ (DOTALL, \s Unicode).
func (t tags) shape(s string) (think, answer string, ok bool) {
	for _, c := range t.count {
		if c != 1 {
			return "", "", false
		}
	}
	th, the, an, ane := t.first[0], t.first[1], t.first[2], t.first[3]
	if !(th < the && the < an && an < ane) {
		return "", "", false
	}
	if !isPySpaceOnly(s[:th]) || !isPySpaceOnly(s[the+len(tagThinkEnd):an]) || !isPySpaceOnly(s[ane+len(tagAnswerEnd):]) {
		return "", "", false
	}
	return s[th+len(tagThink) : the], s[an+len(tagAnswer) : ane], true
}

// parseSegments parses an answer the released way: split on Python whitespace,
// split each item on '-', and read its first two parts with Python's float() (a
// third part is ignored). It appends to dst and reports false at the first item
// that does not give two floats. With finite set, inf and nan also fail.
func parseSegments(dst [][2]float64, answer string, finite bool) ([][2]float64, bool) {
	for rest := answer; ; {
		var item string
		item, rest = nextPyField(rest)
		if item == "" {
			return dst, true
		}
		a, tail, found := strings.Cut(item, "-")
		if !found {
			return dst, false
		}
		b, _, _ := strings.Cut(tail, "-")
		start, ok1 := parsePyFloat(a)
		end, ok2 := parsePyFloat(b)
		if !ok1 || !ok2 || finite && !(isFinite(start) && isFinite(end)) {
			return dst, false
		}
		dst = append(dst, [2]float64{start, end})
	}
}

// ParseAnswer returns the segments of a completion's answer as the released
// matching rewards read them: exactly one <answer> and one </answer>, every item
// "start-end" with Python floats, 0 <= start < end. An empty answer gives no
// segments and no error.
func ParseAnswer(completion string) ([][2]float64, error) {
	ans, ok := scanTags(completion).answerText(completion)
	if !ok {
		return nil, ErrNoAnswer
	}
	segs, ok := parseSegments(nil, ans, false)
	if !ok {
		return nil, ErrBadAnswer
	}
	if !validPredictions(segs) {
		return nil, ErrBadAnswer
	}
	return segs, nil
}

// validPredictions reports whether every segment has 0 <= start < end (false for NaN).
func validPredictions(segs [][2]float64) bool {
	for _, s := range segs {
		if !(s[0] >= 0 && s[1] >= 0 && s[0] < s[1]) {
			return false
		}
	}
	return true
}

func isFinite(f float64) bool { return f-f == 0 }
