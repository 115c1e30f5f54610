package annotations

import (
	"fmt"
	"strings"
)

// Rule names one validation rule. The names are stable and snake_case: the
// Beam job uses them as counter names ("rejected.<rule>", "fixed.<rule>") and
// the manifest reports them.
type Rule string

// The validation rules, in the order Validate checks them.
const (
	// RuleInvalidProbe: the probed duration is not a positive finite number (reject).
	RuleInvalidProbe Rule = "invalid_probe"
	// RuleNoSegments: the sample has no ground-truth segment (reject).
	RuleNoSegments Rule = "no_segments"
	// RuleNonFinite: a segment bound is NaN or infinite (reject).
	RuleNonFinite Rule = "non_finite"
	// RuleNegativeStart: a segment starts before 0 s (reject).
	RuleNegativeStart Rule = "negative_start"
	// RuleReversed: a segment ends before it starts (reject).
	RuleReversed Rule = "reversed_segment"
	// RuleZeroLength: a segment starts where it ends (reject).
	RuleZeroLength Rule = "zero_length_segment"
	// RuleDurationMismatch: the annotation's duration differs from the probe by
	// more than DurationToleranceSec (fix by default, reject if asked).
	RuleDurationMismatch Rule = "duration_mismatch"
	// RuleEndBeyondDuration: a segment ends after the probed duration (clip
	// within ClipToleranceSec, else reject).
	RuleEndBeyondDuration Rule = "end_beyond_duration"
	// RuleUnsorted: segments were not in start order (always fixed by sorting).
	RuleUnsorted Rule = "unsorted_segments"
	// RuleOverlap: two segments overlap by a positive length (reject by
	// default, merge if asked). Touching segments (end == next start) do not.
	RuleOverlap Rule = "overlapping_segments"
	// RuleTooManySegments: more than MaxSegments segments (reject).
	RuleTooManySegments Rule = "too_many_segments"
)

// RuleDuplicate: after validation, the sample is the same training example as an
// earlier one (same Identity); the later copy is rejected. Validate does not check it:
// it needs the other samples of the video.
const RuleDuplicate Rule = "duplicate"

// Rules lists every validation rule in check order, for registering counters.
var Rules = []Rule{
	RuleInvalidProbe, RuleNoSegments, RuleNonFinite, RuleNegativeStart,
	RuleReversed, RuleZeroLength, RuleDurationMismatch, RuleEndBeyondDuration,
	RuleUnsorted, RuleOverlap, RuleTooManySegments,
}

// Rejection is the error Validate returns for a sample it rejects: the rule
// that fired and a human-readable reason. Retrieve it with errors.As.
type Rejection struct {
	Rule   Rule
	Reason string
}

// Error formats the rejection as "<rule>: <reason>".
func (r *Rejection) Error() string { return string(r.Rule) + ": " + r.Reason }

func reject(rule Rule, format string, args ...any) *Rejection {
	return &Rejection{Rule: rule, Reason: fmt.Sprintf(format, args...)}
}

// fixNote formats a fix for Sample.Fixes as "<rule>: <detail>".
func fixNote(rule Rule, format string, args ...any) string {
	return string(rule) + ": " + fmt.Sprintf(format, args...)
}

// FixRule returns the name before the first ": " of a Sample.Fixes entry
// (a Rule, or FixQueryFallback), so fixes can be counted by name. An entry
// without ": " is returned whole.
func FixRule(fix string) string {
	name, _, _ := strings.Cut(fix, ": ")
	return name
}
