package curriculum

import (
	"errors"
	"fmt"
	"math/big"
	"sort"
)

// ParseWeight reads a source's weight as an exact rational ("0.7", "7/10", "3"), so that
// quotas never depend on binary rounding (0.7 * 60 is 42 here, not 41.99...).
func ParseWeight(s string) (*big.Rat, error) {
	w, ok := new(big.Rat).SetString(s)
	if !ok || w.Sign() <= 0 {
		return nil, fmt.Errorf("weight %q: want a positive number", s)
	}
	return w, nil
}

// Quotas splits total among the weights by the largest-remainder method: each source
// first gets the floor of its exact share total * w / sum(w), then the rows still
// unassigned go one each to the sources with the largest remainders. Ties between equal
// remainders go to the earlier source (the order of --source flags), so 1:1:1 of 4 is
// 2, 1, 1. The quotas always add up to total, and every share is exact (weights are
// rationals): 0.7:0.3 of 60 is 42 and 18.
func Quotas(weights []*big.Rat, total int64) ([]int64, error) {
	if total < 0 {
		return nil, fmt.Errorf("total %d: want at least 0", total)
	}
	if len(weights) == 0 {
		return nil, errors.New("no sources")
	}
	sum := new(big.Rat)
	for _, w := range weights {
		sum.Add(sum, w)
	}
	quotas := make([]int64, len(weights))
	rems := make([]*big.Rat, len(weights))
	left := total
	for i, w := range weights {
		share := new(big.Rat).Mul(w, new(big.Rat).SetInt64(total))
		share.Quo(share, sum)
		floor := new(big.Int).Quo(share.Num(), share.Denom()) // shares are >= 0
		quotas[i] = floor.Int64()
		rems[i] = share.Sub(share, new(big.Rat).SetInt(floor))
		left -= quotas[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rems[order[a]].Cmp(rems[order[b]]) > 0 })
	for _, i := range order[:left] {
		quotas[i]++
	}
	return quotas, nil
}
