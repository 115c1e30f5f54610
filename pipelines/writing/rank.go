package writing

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
)

// Strategy is how Select ranks samples.
type Strategy string

// The strategies of the paper's comparison.
const (
	// ByMargin ranks by margin, largest first (the paper's margin-aware selection).
	ByMargin Strategy = "margin"
	// ByDifficulty ranks by policy score, lowest first (difficulty-first).
	ByDifficulty Strategy = "difficulty"
	// ByQuality ranks by best reference score, highest first (quality-first).
	ByQuality Strategy = "quality"
	// ByRandom ranks by a hash of the seed and the id: a random order that is the same on
	// every run with the same seed.
	ByRandom Strategy = "random"
)

// ParseStrategy returns the named strategy, or an error listing the valid names.
func ParseStrategy(name string) (Strategy, error) {
	switch s := Strategy(name); s {
	case ByMargin, ByDifficulty, ByQuality, ByRandom:
		return s, nil
	}
	return "", fmt.Errorf("unknown strategy %q (want margin, difficulty, quality or random)", name)
}

// Rank is a sample's place in a selection: a larger Key ranks first; equal keys rank by
// ID, smallest first.
type Rank struct {
	Key float64
	ID  string
}

// RankOf returns the rank of a sample with id and scores under strategy st.
func RankOf(st Strategy, id string, sc Scores, seed int64) Rank {
	switch st {
	case ByDifficulty:
		return Rank{Key: -sc.Policy, ID: id}
	case ByQuality:
		return Rank{Key: sc.Best(), ID: id}
	case ByRandom:
		h := fnv.New64a()
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(seed))
		h.Write(b[:])
		h.Write([]byte(id))
		return Rank{Key: float64(h.Sum64()>>11) / (1 << 53), ID: id}
	}
	return Rank{Key: sc.Margin(), ID: id}
}

// RankLess reports whether a ranks after b (so the top k are the k largest under it).
func RankLess(a, b Rank) bool {
	if a.Key != b.Key {
		return a.Key < b.Key
	}
	return a.ID > b.ID
}

// Selected reports whether r is kept given the cutoff, the last of the top k (Valid false
// when nothing can be selected, e.g. k = 0 or no candidates).
func Selected(r Rank, cutoff Cutoff) bool {
	return cutoff.Valid && !RankLess(r, cutoff.Rank)
}

// Cutoff is the lowest-ranked sample that a top-k selection keeps.
type Cutoff struct {
	Valid bool
	Rank  Rank
}

// CutoffOf returns the lowest-ranked of top (the top-k list), invalid for an empty list.
func CutoffOf(top []Rank) Cutoff {
	var c Cutoff
	for _, r := range top {
		if !c.Valid || RankLess(r, c.Rank) {
			c = Cutoff{Valid: true, Rank: r}
		}
	}
	return c
}

// Candidate is a scored sample reduced to what selection needs: its rank, its scores and
// where its row is, without the row's text. The top-k combine and the second pass hold
// candidates only, so a selection holds O(k) memory, not O(input).
type Candidate struct {
	Rank       Rank
	File       string
	Line       int64     // 1-based line of the row in File
	Policy     float64   // policy score
	References []float64 // reference scores, input order
}

// Scores returns the candidate's scores.
func (c Candidate) Scores() Scores { return Scores{Policy: c.Policy, References: c.References} }

// CandidateOf returns the candidate of a scored sample under strategy st.
func CandidateOf(st Strategy, sc Scored, seed int64) Candidate {
	return Candidate{Rank: RankOf(st, sc.ID, sc.Scores(), seed), File: sc.File, Line: sc.Line, Policy: sc.Policy, References: sc.References}
}

// CandidateLess orders candidates by rank (RankLess): the top k are the k largest.
func CandidateLess(a, b Candidate) bool { return RankLess(a.Rank, b.Rank) }
