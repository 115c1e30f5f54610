package curriculum

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/rlcurate/rlcurate/rewards"
)

// The branches a rollout reward row comes from.
const (
	BranchWriting = "writing" // a `writing label` row: sample_id, reward
	BranchVideo   = "video"   // a `video score` row: sample_id, total, phase
)

// ErrBadRollout is wrapped by every error of ParseRollout.
var ErrBadRollout = errors.New("bad rollout reward row")

// rewardSlack is how far outside [0, 1] a normalised reward may fall from rounding
// (1.1 - 0.1 is not exactly 1 in binary) before the row is refused; it is then clamped.
const rewardSlack = 1e-9

// Rollout is one rollout's reward, normalised to [0, 1].
type Rollout struct {
	SampleID string
	Branch   string
	Reward   float64 // 0 is the worst reward of the branch, 1 the best
}

// Scale normalises the rewards of both branches to [0, 1].
type Scale struct {
	// Writing are the pairwise reward values writing label paid (--rewards): a label's
	// reward r becomes (r - Loss) / (Win - Loss).
	Writing rewards.PairwiseRewards
}

// ParseRollout reads one rollout reward row and normalises its reward. The branch is
// recognised from the row: "total" and "phase" make a video score row (normalised by
// the phase's maximum total, rewards.PlanFor(phase).Total(1, 1, 1) = 3), "reward"
// without "total" a writing label row. A row with neither, without a sample_id, with a
// non-finite reward or one outside the branch's range is an error wrapping ErrBadRollout.
func (sc Scale) ParseRollout(row []byte) (Rollout, error) {
	var raw struct {
		SampleID json.RawMessage `json:"sample_id"`
		Reward   *float64        `json:"reward"`
		Total    *float64        `json:"total"`
		Phase    *int            `json:"phase"`
	}
	if err := json.Unmarshal(row, &raw); err != nil {
		return Rollout{}, fmt.Errorf("%w: %v", ErrBadRollout, err)
	}
	r := Rollout{SampleID: sampleID(raw.SampleID)}
	if r.SampleID == "" {
		return r, fmt.Errorf("%w: no sample_id (a string or number)", ErrBadRollout)
	}
	var value, lo, hi float64
	switch {
	case raw.Total != nil:
		if raw.Phase == nil {
			return r, fmt.Errorf("%w: a video score row (total) without its phase", ErrBadRollout)
		}
		plan, err := rewards.PlanFor(*raw.Phase)
		if err != nil {
			return r, fmt.Errorf("%w: %v", ErrBadRollout, err)
		}
		r.Branch, value, lo, hi = BranchVideo, *raw.Total, 0, plan.Total(1, 1, 1)
	case raw.Reward != nil:
		r.Branch, value, lo, hi = BranchWriting, *raw.Reward, sc.Writing.Loss, sc.Writing.Win
	default:
		return r, fmt.Errorf("%w: neither a writing label row (reward) nor a video score row (total, phase)", ErrBadRollout)
	}
	v, err := normalise(value, lo, hi)
	if err != nil {
		return r, fmt.Errorf("%w: %s %v", ErrBadRollout, r.Branch, err)
	}
	r.Reward = v
	return r, nil
}

// normalise maps value from [lo, hi] onto [0, 1], clamping rounding slack.
func normalise(value, lo, hi float64) (float64, error) {
	if !(hi > lo) {
		return 0, fmt.Errorf("reward range [%g, %g] is empty", lo, hi)
	}
	v := (value - lo) / (hi - lo)
	if math.IsNaN(v) || v < -rewardSlack || v > 1+rewardSlack {
		return 0, fmt.Errorf("reward %g outside [%g, %g]", value, lo, hi)
	}
	return math.Min(1, math.Max(0, v)), nil
}

// sampleID reads a JSON string or number; anything else gives "".
func sampleID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}
