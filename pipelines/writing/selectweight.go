package writing

import (
	"encoding/json"
	"fmt"
	"sort"
)

// WeightField is the data row field that --reweight-by-level writes: the row's sampling
// weight (LevelWeights).
const WeightField = "sampling_weight"

// LevelWeights returns the sampling weight of each selected candidate, by where its row
// is. A sample at level p of a ladder of n rungs (p = its schedule pointer, at most n;
// 0 for a sample the schedule does not hold; n = its references) has the raw weight
//
//	(n - p + 1) / (n + 1)
//
// the share of its ladder still to climb, counting the rung it stands on: 1 at the bottom,
// 1/(n+1) when mastered (never 0, so a mastered prompt kept on purpose is still drawn, at
// the lowest rate), comparable across ladders of different lengths. The weights are the
// raw weights divided by their mean over the selected rows, so they average 1 (a sampler
// or a loss weight can take them as they are); every one is 1 when all selected samples
// stand on the same share of their ladders. The sum runs in id order, so the weights are
// the same on every run.
func LevelWeights(selected []Candidate, levels map[string]Level) map[rowAt]float64 {
	cs := append([]Candidate(nil), selected...)
	sort.Slice(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.Rank.ID != b.Rank.ID {
			return a.Rank.ID < b.Rank.ID
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	raw := make([]float64, len(cs))
	sum := 0.0
	for i, c := range cs {
		n := len(c.References)
		p := min(max(levels[c.Rank.ID].Pointer, 0), n)
		raw[i] = float64(n-p+1) / float64(n+1)
		sum += raw[i]
	}
	w := make(map[rowAt]float64, len(cs))
	for i, c := range cs {
		w[rowAt{File: c.File, Line: c.Line}] = raw[i] * float64(len(cs)) / sum
	}
	return w
}

// weightedRow returns the data row with WeightField set to w (replacing a field of that
// name the input had).
func weightedRow(row string, w float64) (string, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(row), &fields); err != nil {
		return "", fmt.Errorf("add %s: %w", WeightField, err)
	}
	b, err := json.Marshal(w)
	if err != nil {
		return "", fmt.Errorf("add %s: %w", WeightField, err)
	}
	fields[WeightField] = b
	out, err := json.Marshal(fields)
	if err != nil {
		return "", fmt.Errorf("add %s: %w", WeightField, err)
	}
	return string(out), nil
}
