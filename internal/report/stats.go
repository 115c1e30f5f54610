package report

import (
	"math"
	"sort"
)

// summary holds descriptive statistics of the finite values of a sample.
type summary struct {
	N         int
	NonFinite int
	Min, Max  float64
	Mean      float64
	Median    float64
}

// summarize computes a summary; NaN and infinities are counted in
// NonFinite and otherwise ignored. With no finite values N is 0 and the
// other fields are 0.
func summarize(values []float64) summary {
	var s summary
	finite := make([]float64, 0, len(values))
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			s.NonFinite++
			continue
		}
		finite = append(finite, v)
	}
	s.N = len(finite)
	if s.N == 0 {
		return s
	}
	sort.Float64s(finite)
	s.Min, s.Max = finite[0], finite[s.N-1]
	sum := 0.0
	for _, v := range finite {
		sum += v
	}
	s.Mean = sum / float64(s.N)
	if s.N%2 == 1 {
		s.Median = finite[s.N/2]
	} else {
		s.Median = (finite[s.N/2-1] + finite[s.N/2]) / 2
	}
	return s
}

// ints converts integers to floats for the float-based charts.
func ints[T ~int | ~int32 | ~int64](xs []T) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}
