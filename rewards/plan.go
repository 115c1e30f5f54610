package rewards

import "fmt"

// Weights scales the three MUSEG reward parts before they are summed.
type Weights struct {
	Format float64 `json:"format"`
	Global float64 `json:"global"`
	Local  float64 `json:"local"`
}

// PlainSum is the released weighting: total = format + global + local.
var PlainSum = Weights{Format: 1, Global: 1, Local: 1}

// Plan says how one MUSEG training phase scores a completion.
type Plan struct {
	// Phase is 1 or 2 (reported in MusegScore).
	Phase int `json:"phase"`
	// TimestampCheck turns on the format score's check that every answered
	// timestamp is cited in the reasoning (phase 1 only in the released recipe).
	TimestampCheck bool `json:"timestamp_check"`
	// Weights scales the parts of the total.
	Weights Weights `json:"weights"`
}

// PlanFor returns the released plan for phase 1 (format with the timestamp check
// + global + local) or phase 2 (format without the check + global + local), both
// with PlainSum weights. Other phases are an error.
func PlanFor(phase int) (Plan, error) {
	switch phase {
	case 1:
		return Plan{Phase: 1, TimestampCheck: true, Weights: PlainSum}, nil
	case 2:
		return Plan{Phase: 2, TimestampCheck: false, Weights: PlainSum}, nil
	}
	return Plan{}, fmt.Errorf("museg phase %d: want 1 or 2", phase)
}

// Total combines the three parts with the plan's weights.
func (p Plan) Total(format, global, local float64) float64 {
	w := p.Weights
	return w.Format*format + (w.Global*global + w.Local*local)
}
