package export

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// Branch names in labels.
const (
	BranchMuseg   = "museg"
	BranchWriting = "writing"
)

// ErrBadLabel means a label cannot be used to score a completion.
var ErrBadLabel = errors.New("bad label")

// Label is the OpenRLHF/TRL label of a row, a JSON string in the "label" column and in
// the reward service's "labels": {"branch": "museg", "solution": [[s, e], ...],
// "phase": 1|2, "mode": "compat"|"strict"} or {"branch": "writing", "sample_id": "..."}.
// Validation, when true, marks a validation rollout: it is scored but never moves the
// reference schedule.
type Label struct {
	Branch     string       `json:"branch"`
	Solution   [][2]float64 `json:"solution,omitempty"`
	Phase      int          `json:"phase,omitempty"`
	Mode       string       `json:"mode,omitempty"`
	SampleID   string       `json:"sample_id,omitempty"`
	Validation bool         `json:"validation,omitempty"`
}

// String returns the label's JSON text.
func (l Label) String() string {
	b, err := json.Marshal(l)
	if err != nil { // only non-finite solution values; ParseLabel rejects those
		return fmt.Sprintf(`{"branch":%q}`, l.Branch)
	}
	return string(b)
}

// labelJSON is a label as sent, before its solution is checked to be pairs.
type labelJSON struct {
	Branch     string      `json:"branch"`
	Solution   [][]float64 `json:"solution"`
	Phase      int         `json:"phase"`
	Mode       string      `json:"mode"`
	SampleID   string      `json:"sample_id"`
	Validation bool        `json:"validation"`
}

// ParseLabel decodes and checks a label. A MUSEG label needs a solution of [start, end]
// number pairs (an empty list is allowed: compat mode scores it as the released code
// does), phase 1 or 2, and mode "compat" or "strict" (empty means "compat"). A writing
// label needs a sample_id. Anything else is an error wrapping ErrBadLabel.
func ParseLabel(s string) (Label, error) {
	var j labelJSON
	if err := json.Unmarshal([]byte(s), &j); err != nil {
		return Label{}, fmt.Errorf("%w: not a JSON object: %v", ErrBadLabel, err)
	}
	l := Label{Branch: j.Branch, Phase: j.Phase, Mode: j.Mode, SampleID: j.SampleID, Validation: j.Validation}
	switch j.Branch {
	case BranchMuseg:
		if j.Phase != 1 && j.Phase != 2 {
			return Label{}, fmt.Errorf("%w: museg phase %d (want 1 or 2)", ErrBadLabel, j.Phase)
		}
		switch j.Mode {
		case "":
			l.Mode = "compat"
		case "compat", "strict":
		default:
			return Label{}, fmt.Errorf("%w: museg mode %q (want compat or strict)", ErrBadLabel, j.Mode)
		}
		l.Solution = make([][2]float64, len(j.Solution))
		for i, seg := range j.Solution {
			if len(seg) != 2 {
				return Label{}, fmt.Errorf("%w: solution segment %d has %d numbers (want [start, end])", ErrBadLabel, i, len(seg))
			}
			if math.IsNaN(seg[0]) || math.IsNaN(seg[1]) || math.IsInf(seg[0], 0) || math.IsInf(seg[1], 0) {
				return Label{}, fmt.Errorf("%w: solution segment %d is not finite", ErrBadLabel, i)
			}
			l.Solution[i] = [2]float64{seg[0], seg[1]}
		}
	case BranchWriting:
		if j.SampleID == "" {
			return Label{}, fmt.Errorf("%w: writing label without sample_id", ErrBadLabel)
		}
	case "":
		return Label{}, fmt.Errorf("%w: no branch", ErrBadLabel)
	default:
		return Label{}, fmt.Errorf("%w: unknown branch %q (want museg or writing)", ErrBadLabel, j.Branch)
	}
	return l, nil
}
