package annotations

import (
	"cmp"
	"math"
	"slices"
)

// Defaults of ValidateOptions.
const (
	DefaultClipToleranceSec     = 1.0
	DefaultMaxSegments          = 10
	DefaultDurationToleranceSec = 1.0
)

// ValidateOptions configure Validate. Fields are used as given; start from
// DefaultValidateOptions.
type ValidateOptions struct {
	// ClipToleranceSec: a segment ending at most this far beyond the probed
	// duration is clipped to it (fix); farther is a rejection. 0 clips nothing.
	ClipToleranceSec float64
	// MaxSegments is the largest number of segments kept (after merging);
	// 0 or less disables the limit.
	MaxSegments int
	// MergeOverlaps merges overlapping segments (fix) instead of rejecting.
	MergeOverlaps bool
	// DurationToleranceSec is how far the annotation's duration may differ
	// from the probe before RuleDurationMismatch fires.
	DurationToleranceSec float64
	// RejectDurationMismatch rejects on RuleDurationMismatch instead of
	// recording a fix.
	RejectDurationMismatch bool
}

// DefaultValidateOptions returns the defaults: clip within 1 s, at most 10
// segments, reject overlaps, record (not reject) a duration mismatch over 1 s.
func DefaultValidateOptions() ValidateOptions {
	return ValidateOptions{
		ClipToleranceSec:     DefaultClipToleranceSec,
		MaxSegments:          DefaultMaxSegments,
		DurationToleranceSec: DefaultDurationToleranceSec,
	}
}

// Validate checks s against the video's probed duration (seconds) and
// returns the validated sample, or a *Rejection naming the first rule that
// fails (rules are checked in the order of Rules). The returned sample has
// its segments sorted by start, clipped or merged as allowed, Duration set to
// the probed duration, and one Fixes entry ("<rule>: <detail>") per change.
// s itself is not modified. Every sample thus ends either validated (maybe
// with fixes) or rejected with a rule: nothing is dropped silently.
func Validate(s Sample, probedSec float64, opts ValidateOptions) (Sample, error) {
	if math.IsNaN(probedSec) || math.IsInf(probedSec, 0) || probedSec <= 0 {
		return Sample{}, reject(RuleInvalidProbe, "probed duration %v s is not a positive number", probedSec)
	}
	if len(s.Solution) == 0 {
		return Sample{}, reject(RuleNoSegments, "the sample has no ground-truth segment")
	}
	segs := slices.Clone(s.Solution)
	fixes := slices.Clone(s.Fixes)
	for i, g := range segs {
		if !finite(g[0]) || !finite(g[1]) {
			return Sample{}, reject(RuleNonFinite, "segment %d [%v, %v] has a non-finite bound", i, g[0], g[1])
		}
	}
	for i, g := range segs {
		if g[0] < 0 {
			return Sample{}, reject(RuleNegativeStart, "segment %d [%g, %g] starts before 0 s", i, g[0], g[1])
		}
	}
	for i, g := range segs {
		if g[1] < g[0] {
			return Sample{}, reject(RuleReversed, "segment %d [%g, %g] ends before it starts", i, g[0], g[1])
		}
	}
	for i, g := range segs {
		if g[1] == g[0] {
			return Sample{}, reject(RuleZeroLength, "segment %d [%g, %g] has zero length", i, g[0], g[1])
		}
	}
	if s.Duration != nil && math.Abs(*s.Duration-probedSec) > opts.DurationToleranceSec {
		if opts.RejectDurationMismatch {
			return Sample{}, reject(RuleDurationMismatch, "annotation duration %g s, probed %g s (tolerance %g s)", *s.Duration, probedSec, opts.DurationToleranceSec)
		}
		fixes = append(fixes, fixNote(RuleDurationMismatch, "annotation duration %g s replaced by probed %g s", *s.Duration, probedSec))
	}
	for i, g := range segs {
		if g[1] <= probedSec {
			continue
		}
		over := g[1] - probedSec
		if g[0] >= probedSec {
			return Sample{}, reject(RuleEndBeyondDuration, "segment %d [%g, %g] starts at or after the video end %g s", i, g[0], g[1], probedSec)
		}
		if over > opts.ClipToleranceSec {
			return Sample{}, reject(RuleEndBeyondDuration, "segment %d [%g, %g] ends %.3g s after the video end %g s (tolerance %g s)", i, g[0], g[1], over, probedSec, opts.ClipToleranceSec)
		}
		segs[i][1] = probedSec
		fixes = append(fixes, fixNote(RuleEndBeyondDuration, "segment %d end %g s clipped to the video end %g s", i, g[1], probedSec))
	}
	if !slices.IsSortedFunc(segs, bySegmentStart) {
		slices.SortStableFunc(segs, bySegmentStart)
		fixes = append(fixes, fixNote(RuleUnsorted, "segments sorted by start"))
	}
	for i := 1; i < len(segs); i++ {
		if segs[i][0] < segs[i-1][1] {
			if !opts.MergeOverlaps {
				return Sample{}, reject(RuleOverlap, "segments [%g, %g] and [%g, %g] overlap", segs[i-1][0], segs[i-1][1], segs[i][0], segs[i][1])
			}
			n := len(segs)
			segs = mergeOverlaps(segs)
			fixes = append(fixes, fixNote(RuleOverlap, "%d overlapping segments merged into %d", n, len(segs)))
			break
		}
	}
	if opts.MaxSegments > 0 && len(segs) > opts.MaxSegments {
		return Sample{}, reject(RuleTooManySegments, "%d segments, at most %d allowed", len(segs), opts.MaxSegments)
	}
	out := s
	out.Solution = segs
	out.Duration = durationPtr(probedSec)
	out.Fixes = fixes
	return out, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func bySegmentStart(a, b [2]float64) int {
	if c := cmp.Compare(a[0], b[0]); c != 0 {
		return c
	}
	return cmp.Compare(a[1], b[1])
}

// mergeOverlaps merges sorted segments that overlap by a positive length;
// touching segments stay apart.
func mergeOverlaps(sorted [][2]float64) [][2]float64 {
	out := [][2]float64{sorted[0]}
	for _, g := range sorted[1:] {
		last := &out[len(out)-1]
		if g[0] < last[1] {
			last[1] = max(last[1], g[1])
			continue
		}
		out = append(out, g)
	}
	return out
}
