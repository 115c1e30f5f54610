package report

import (
	"math"
	"testing"
)

// TestReservoir: under the cap every item is kept in order; over it the sample has the
// cap's size, only items that were added, and is close to uniform (mean of 0..n-1).
func TestReservoir(t *testing.T) {
	small := NewReservoir[int](10, 1)
	for i := range 7 {
		small.Add(i)
	}
	if len(small.Items) != 7 || small.Sampled() || small.Items[6] != 6 {
		t.Errorf("under the cap: %v sampled=%v, want all 7 in order", small.Items, small.Sampled())
	}
	const n, c = 200000, 5000
	r := NewReservoir[int](c, 7)
	for i := range n {
		r.Add(i)
	}
	if len(r.Items) != c || !r.Sampled() || r.Seen != n {
		t.Fatalf("over the cap: %d items, seen %d, sampled %v", len(r.Items), r.Seen, r.Sampled())
	}
	seen := map[int]bool{}
	var sum float64
	for _, x := range r.Items {
		if x < 0 || x >= n || seen[x] {
			t.Fatalf("item %d: not added or kept twice", x)
		}
		seen[x] = true
		sum += float64(x)
	}
	// The mean of a uniform sample of c from 0..n-1 has standard deviation about
	// n/sqrt(12c) = 817; allow 5 of them.
	if mean := sum / c; math.Abs(mean-(n-1)/2.0) > 5*817 {
		t.Errorf("sample mean %g, want about %g: not uniform", mean, (n-1)/2.0)
	}
}
