package rewards

import "fmt"

// MusegInput is one completion to score against its ground-truth segments
// (seconds, [start, end]). SampleID and Group, when the row carries them, name the
// prompt the completion answers and its group; they pass through to the score.
type MusegInput struct {
	ID         string       `json:"id"`
	SampleID   string       `json:"sample_id,omitempty"`
	Group      string       `json:"group,omitempty"`
	Completion string       `json:"completion"`
	Solution   [][2]float64 `json:"solution"`
}

// MusegScore is the MUSEG reward of one completion under one plan and mode.
// Total is Plan.Total(Format, GlobalMatching, LocalMatching). SampleID and Group are
// the input's, and absent from the JSON when the input had none.
type MusegScore struct {
	ID             string  `json:"id"`
	SampleID       string  `json:"sample_id,omitempty"`
	Group          string  `json:"group,omitempty"`
	Phase          int     `json:"phase"`
	Mode           Mode    `json:"mode"`
	Format         float64 `json:"format"`
	GlobalMatching float64 `json:"global_matching"`
	LocalMatching  float64 `json:"local_matching"`
	Total          float64 `json:"total"`
}

// Museg scores one completion. In Compat mode it never fails and reproduces the
// released code on every input, NaN results included (the reference yields NaN
// for answers such as "1-inf"). In Strict mode a solution that is empty, negative,
// not finite (ErrBadSolution) or reversed (ErrReversedSolution) is an error
// instead of a silent 0, and the other fixes of docs/rewards.md apply.
func Museg(in MusegInput, plan Plan, mode Mode) (MusegScore, error) {
	out := MusegScore{ID: in.ID, SampleID: in.SampleID, Group: in.Group, Phase: plan.Phase, Mode: mode}
	if mode == Strict {
		if err := CheckSolution(in.Solution); err != nil {
			return out, fmt.Errorf("score %q: %w", in.ID, err)
		}
	} else if mode != Compat {
		return out, fmt.Errorf("score %q: unknown mode %v", in.ID, mode)
	}
	var buf [maxStackSegments][2]float64
	c := in.Completion
	t := scanTags(c)
	ans, hasAnswer := t.answerText(c)
	var segs [][2]float64
	parsed := false
	if hasAnswer {
		segs, parsed = parseSegments(buf[:0], ans, mode == Strict)
	}
	if think, _, ok := t.shape(c); ok {
		out.Format = formatOf(think, segs, parsed, plan.TimestampCheck, mode)
	}
	if parsed && validPredictions(segs) {
		if mode == Strict {
			out.LocalMatching = LocalMatchingOptimal(segs, in.Solution)
		} else {
			out.LocalMatching = LocalMatching(segs, in.Solution)
		}
		// GlobalMatching sorts a copy, so segs keeps the written order above.
		out.GlobalMatching = GlobalMatching(segs, in.Solution)
	}
	out.Total = plan.Total(out.Format, out.GlobalMatching, out.LocalMatching)
	return out, nil
}

// CheckSolution reports why a ground truth cannot be scored soundly: no
// segments, a value that is negative or not finite (ErrBadSolution), or a
// segment with start > end (ErrReversedSolution). Zero-length segments pass.
func CheckSolution(gt [][2]float64) error {
	if len(gt) == 0 {
		return fmt.Errorf("%w: no segments", ErrBadSolution)
	}
	for i, g := range gt {
		if !isFinite(g[0]) || !isFinite(g[1]) || g[0] < 0 || g[1] < 0 {
			return fmt.Errorf("%w: segment %d is %v", ErrBadSolution, i, g)
		}
		if g[0] > g[1] {
			return fmt.Errorf("%w: segment %d is %v", ErrReversedSolution, i, g)
		}
	}
	return nil
}
