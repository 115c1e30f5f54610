package report

import "math/rand/v2"

// Reservoir keeps a uniform random sample of at most Cap of the items added to it
// (Algorithm R), so that a report's distributions take bounded memory however many rows
// a job wrote. The sample depends only on the items' order and the seed.
type Reservoir[T any] struct {
	Cap   int
	Seen  int64 // items added
	Items []T   // the sample, at most Cap
	rng   *rand.Rand
}

// NewReservoir returns an empty reservoir of at most cap items.
func NewReservoir[T any](cap int, seed uint64) *Reservoir[T] {
	return &Reservoir[T]{Cap: cap, rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))}
}

// Offer counts one more item and returns the index of Items where it is to be kept, or
// -1 when it is left out: a caller can then build only the items it keeps.
func (r *Reservoir[T]) Offer() int {
	r.Seen++
	if len(r.Items) < r.Cap {
		var zero T
		r.Items = append(r.Items, zero)
		return len(r.Items) - 1
	}
	if j := r.rng.Int64N(r.Seen); j < int64(r.Cap) {
		return int(j)
	}
	return -1
}

// Add offers x to the sample.
func (r *Reservoir[T]) Add(x T) {
	if i := r.Offer(); i >= 0 {
		r.Items[i] = x
	}
}

// Sampled reports whether items were left out (more were added than Cap).
func (r *Reservoir[T]) Sampled() bool { return r.Seen > int64(len(r.Items)) }
