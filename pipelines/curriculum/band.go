package curriculum

import (
	"fmt"
	"strconv"
	"strings"
)

// The reasons a sample is dropped, each a manifest count key, and ReasonUnrolled, the
// count of samples that had no rollout (kept unless --drop-unrolled).
const (
	ReasonZeroVariance   = "zero_variance"    // every rollout got the same reward (DAPO)
	ReasonTooEasy        = "too_easy"         // mean above the band's HI
	ReasonTooHard        = "too_hard"         // mean below the band's LO
	ReasonTooFewRollouts = "too_few_rollouts" // fewer rollouts than --min-rollouts
	ReasonUnrolled       = "unrolled"         // a --samples row with no rollout
)

// Band is the closed interval [Lo, Hi] of mean normalised rewards a kept sample lies in.
type Band struct{ Lo, Hi float64 }

// ParseBand reads "LO:HI" with 0 <= LO <= HI <= 1.
func ParseBand(s string) (Band, error) {
	lo, hi, ok := strings.Cut(s, ":")
	if !ok {
		return Band{}, fmt.Errorf("band %q: want LO:HI, e.g. 0.1:0.9", s)
	}
	var b Band
	var err1, err2 error
	b.Lo, err1 = strconv.ParseFloat(strings.TrimSpace(lo), 64)
	b.Hi, err2 = strconv.ParseFloat(strings.TrimSpace(hi), 64)
	if err1 != nil || err2 != nil || !(0 <= b.Lo && b.Lo <= b.Hi && b.Hi <= 1) {
		return Band{}, fmt.Errorf("band %q: want LO:HI with 0 <= LO <= HI <= 1", s)
	}
	return b, nil
}

// String is the band as ParseBand reads it.
func (b Band) String() string {
	return strconv.FormatFloat(b.Lo, 'g', -1, 64) + ":" + strconv.FormatFloat(b.Hi, 'g', -1, 64)
}

// Rule decides which samples a difficulty job keeps.
type Rule struct {
	Band             Band
	DropZeroVariance bool  // drop samples whose rollouts all got the same reward
	MinRollouts      int64 // fewer rollouts than this drops the sample
}

// Judge returns "" to keep a sample with these statistics, or the reason it is dropped,
// checked in this order: too_few_rollouts, zero_variance, too_hard (mean < Lo),
// too_easy (mean > Hi). So a sample whose rollouts all succeeded is zero_variance (when
// that rule is on), not too_easy; a single rollout is always zero_variance. The band is
// closed: a mean equal to Lo or Hi is kept.
func (r Rule) Judge(s Stats) string {
	m := s.Mean()
	switch {
	case s.N < r.MinRollouts:
		return ReasonTooFewRollouts
	case r.DropZeroVariance && s.Min == s.Max:
		return ReasonZeroVariance
	case m < r.Band.Lo:
		return ReasonTooHard
	case m > r.Band.Hi:
		return ReasonTooEasy
	}
	return ""
}
