package rewards

import "math"

// advantageEps is GRPO's denominator guard.
const advantageEps = 1e-4

// GroupAdvantages returns GRPO's advantage for each reward of one prompt's group
// of rollouts: (R - mean) / (std + 1e-4), std being the unbiased (n-1) standard
// deviation as torch.std computes it. A group of one has no defined unbiased std
// (torch gives NaN, which would poison the update): its advantage is 0, since one
// rollout carries no relative signal. An empty group gives an empty result.
func GroupAdvantages(rewards []float64) []float64 {
	out := make([]float64, len(rewards))
	n := len(rewards)
	if n < 2 {
		return out
	}
	mean := 0.0
	for _, r := range rewards {
		mean += r
	}
	mean /= float64(n)
	ss := 0.0
	for _, r := range rewards {
		ss += (r - mean) * (r - mean)
	}
	std := math.Sqrt(ss / float64(n-1))
	for i, r := range rewards {
		out[i] = (r - mean) / (std + advantageEps)
	}
	return out
}
