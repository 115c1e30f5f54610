package rewards

import "math"

// LocalMatchingOptimal is Strict mode's local matching: each prediction is paired
// with at most one ground-truth segment so that the sum of (1+GIoU)/2 pair scores
// is largest (Hungarian method), unpaired segments on either side score 0, and rL
// is the sum divided by max(len(pred), len(gt)). The order predictions are
// written in therefore does not matter. Both lists empty give 0. It expects sound
// input (no reversed ground truth; Strict mode rejects that earlier); a pair
// whose score is undefined counts 0.
func LocalMatchingOptimal(pred, gt [][2]float64) float64 {
	n := max(len(pred), len(gt))
	if n == 0 {
		return 0
	}
	score := make([]float64, n*n) // score[i*n+j]: pred i with gt j
	for i := range pred {
		for j := range gt {
			if s, ok := pairScore(pred[i], gt[j]); ok && !math.IsNaN(s) {
				score[i*n+j] = s
			}
		}
	}
	assign := maxAssignment(score, n)
	total := 0.0
	for i, j := range assign {
		total += score[i*n+j]
	}
	return total / float64(n)
}

// maxAssignment returns, for each row i of the n x n matrix w, the column it is
// assigned so that the sum of w[i][assign[i]] is maximal (Hungarian method with
// potentials, O(n^3)).
func maxAssignment(w []float64, n int) []int {
	inf := math.Inf(1)
	u := make([]float64, n+1)
	v := make([]float64, n+1)
	p := make([]int, n+1) // p[j]: row matched to column j (1-based), 0 if none
	way := make([]int, n+1)
	minv := make([]float64, n+1)
	used := make([]bool, n+1)
	cost := func(i, j int) float64 { return -w[(i-1)*n+(j-1)] }
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j] = inf
			used[j] = false
		}
		for {
			used[j0] = true
			i0, delta, j1 := p[j0], inf, 0
			for j := 1; j <= n; j++ {
				if used[j] {
					continue
				}
				cur := cost(i0, j) - u[i0] - v[j]
				if cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= n; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	assign := make([]int, n)
	for j := 1; j <= n; j++ {
		assign[p[j]-1] = j - 1
	}
	return assign
}
