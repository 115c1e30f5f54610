package curriculum

import "math"

// Stats accumulates the normalised rewards of one sample's rollouts in constant space:
// count, sum, sum of squares, minimum and maximum. The zero Stats is empty.
type Stats struct {
	N     int64   `json:"n"`
	Sum   float64 `json:"sum"`
	SumSq float64 `json:"sumsq"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
}

// Add returns s with one more reward v.
func (s Stats) Add(v float64) Stats {
	return s.Merge(Stats{N: 1, Sum: v, SumSq: v * v, Min: v, Max: v})
}

// Merge returns the statistics of both sets of rewards; an empty side changes nothing.
func (s Stats) Merge(o Stats) Stats {
	switch {
	case o.N == 0:
		return s
	case s.N == 0:
		return o
	}
	return Stats{N: s.N + o.N, Sum: s.Sum + o.Sum, SumSq: s.SumSq + o.SumSq, Min: math.Min(s.Min, o.Min), Max: math.Max(s.Max, o.Max)}
}

// Mean is the mean reward (the pass rate for 0/1 rewards); 0 when empty.
func (s Stats) Mean() float64 {
	if s.N == 0 {
		return 0
	}
	return s.Sum / float64(s.N)
}

// Std is the population standard deviation (divisor n, as GRPO's group statistics):
// exactly 0 when every reward is equal (Min == Max), never NaN.
func (s Stats) Std() float64 {
	if s.N == 0 || s.Min == s.Max {
		return 0
	}
	m := s.Mean()
	return math.Sqrt(math.Max(0, s.SumSq/float64(s.N)-m*m))
}
