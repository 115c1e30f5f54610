package rewards

import (
	"cmp"
	"slices"
)

// padSegment is what the released local matching pairs an unmatched segment with.
var padSegment = [2]float64{1e9, 1e9 + 1}

// GlobalMatching returns MUSEG's global matching reward rG: predictions sorted by
// start and merged while prev.end >= next.start, overlap summed over every
// (ground truth, prediction) pair, and rG = 2pr/(p+r+1e-6) with
// p = overlap/(sum pred lengths + 1e-6), r = overlap/(sum gt lengths + 1e-6).
// No predictions give 0; an empty ground truth or a division by zero gives 0, as
// in the reference (which raises and catches). pred is not modified.
func GlobalMatching(pred, gt [][2]float64) float64 {
	if len(gt) == 0 {
		return 0
	}
	var buf [maxStackSegments][2]float64
	merged := mergeSorted(append(buf[:0], pred...))
	var allGT, allPred, overlap float64
	for _, g := range gt {
		allGT += g[1] - g[0]
	}
	for _, p := range merged {
		allPred += p[1] - p[0]
	}
	for _, g := range gt {
		for _, p := range merged {
			overlap += pyMax(0, pyMin(p[1], g[1])-pyMax(p[0], g[0]))
		}
	}
	precision, ok1 := div(overlap, allPred+1e-6)
	recall, ok2 := div(overlap, allGT+1e-6)
	if !ok1 || !ok2 {
		return 0
	}
	f, ok := div(2*precision*recall, precision+recall+1e-6)
	if !ok {
		return 0
	}
	return f
}

// mergeSorted sorts segs by start (stably) and merges in place every segment
// whose start is at or before the running end, returning the merged prefix.
func mergeSorted(segs [][2]float64) [][2]float64 {
	if len(segs) < 2 {
		return segs
	}
	sortByStart(segs)
	out := segs[:1]
	for _, s := range segs[1:] {
		last := &out[len(out)-1]
		if last[1] >= s[0] {
			last[0] = pyMin(last[0], s[0])
			last[1] = pyMax(last[1], s[1])
			continue
		}
		out = append(out, s)
	}
	return out
}

// sortByStart is a stable insertion sort on start (answers are short); it keeps
// the reference's tie order and does not allocate.
func sortByStart(segs [][2]float64) {
	if len(segs) > 32 {
		slices.SortStableFunc(segs, func(a, b [2]float64) int { return cmp.Compare(a[0], b[0]) })
		return
	}
	for i := 1; i < len(segs); i++ {
		for j := i; j > 0 && segs[j][0] < segs[j-1][0]; j-- {
			segs[j], segs[j-1] = segs[j-1], segs[j]
		}
	}
}

// LocalMatching returns MUSEG's local matching reward rL as released: predictions
// in the order written paired with ground truth in data order, the shorter list
// padded with [1e9, 1e9+1], each pair scoring (1 + IoU - (C-U)/C)/2 (that is
// (1+GIoU)/2), rL the mean. Both lists empty, or a zero union or enclosure (for
// example a reversed ground truth), give 0 as in the reference.
func LocalMatching(pred, gt [][2]float64) float64 {
	n := max(len(pred), len(gt))
	if n == 0 {
		return 0
	}
	sum := 0.0
	for i := 0; i < n; i++ {
		p, g := padSegment, padSegment
		if i < len(pred) {
			p = pred[i]
		}
		if i < len(gt) {
			g = gt[i]
		}
		s, ok := pairScore(p, g)
		if !ok {
			return 0
		}
		sum += s
	}
	return sum / float64(n)
}

// pairScore is (1 + IoU - (C-U)/C)/2 for one pair, false on a zero division.
func pairScore(p, g [2]float64) (float64, bool) {
	inter := pyMax(0, pyMin(g[1], p[1])-pyMax(g[0], p[0]))
	union := g[1] - g[0] + p[1] - p[0] - inter
	encl := pyMax(g[1], p[1]) - pyMin(g[0], p[0])
	iou, ok1 := div(inter, union)
	gap, ok2 := div(encl-union, encl)
	if !ok1 || !ok2 {
		return 0, false
	}
	return (1 + iou - gap) / 2, true
}

// div divides as Python does for floats: a zero divisor is an error (ok false).
func div(a, b float64) (float64, bool) {
	if b == 0 {
		return 0, false
	}
	return a / b, true
}

// pyMax is Python's max(a, b) for floats: b only when b > a (so NaN never wins
// against a first argument, unlike Go's max).
func pyMax(a, b float64) float64 {
	if b > a {
		return b
	}
	return a
}

// pyMin is Python's min(a, b) for floats: b only when b < a.
func pyMin(a, b float64) float64 {
	if b < a {
		return b
	}
	return a
}
