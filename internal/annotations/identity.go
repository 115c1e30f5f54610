package annotations

import (
	"strconv"
	"strings"
)

// Identity names the training example a sample is: its video, task, query and
// segments. Two annotations with the same Identity (an exact repeat, or the same
// segments written in another order or clipped alike) would train the model twice on one
// example. Compare identities of validated samples, whose segments are sorted and clipped.
func (s Sample) Identity() string {
	var b strings.Builder
	for _, f := range []string{s.Video, string(s.Task), s.Query} {
		b.WriteString(strconv.Quote(f))
	}
	for _, g := range s.Solution {
		b.WriteString(" " + strconv.FormatFloat(g[0], 'g', -1, 64) + " " + strconv.FormatFloat(g[1], 'g', -1, 64))
	}
	return b.String()
}
