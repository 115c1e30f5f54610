package schedule

import "fmt"

// PhasePlan is MUSEG's fixed two-phase schedule: Phase1Steps steps of phase 1
// (format with the timestamp check), then Phase2Steps steps of phase 2. The
// switch is by step count, not adaptive.
type PhasePlan struct {
	Phase1Steps int `json:"phase1_steps"`
	Phase2Steps int `json:"phase2_steps"`
	// PromptsPerStep is the number of prompts (samples) per step (14 in MUSEG).
	PromptsPerStep int `json:"prompts_per_step"`
}

// MusegPhases is the released plan: 400 steps then 500 steps, 14 prompts a step.
var MusegPhases = PhasePlan{Phase1Steps: 400, Phase2Steps: 500, PromptsPerStep: 14}

// PhaseOfStep returns the phase (1 or 2) of a 0-based training step; steps
// outside [0, Phase1Steps+Phase2Steps) are an error.
func (p PhasePlan) PhaseOfStep(step int) (int, error) {
	switch {
	case step < 0 || step >= p.Phase1Steps+p.Phase2Steps:
		return 0, fmt.Errorf("step %d outside the plan's %d steps", step, p.Phase1Steps+p.Phase2Steps)
	case step < p.Phase1Steps:
		return 1, nil
	}
	return 2, nil
}

// PhaseOfSample returns the phase of the i-th (0-based) sample in training
// order: sample i is consumed at step i / PromptsPerStep.
func (p PhasePlan) PhaseOfSample(i int) (int, error) {
	if p.PromptsPerStep < 1 {
		return 0, fmt.Errorf("phase of sample %d: prompts per step %d < 1", i, p.PromptsPerStep)
	}
	if i < 0 {
		return 0, fmt.Errorf("phase of sample %d: negative index", i)
	}
	return p.PhaseOfStep(i / p.PromptsPerStep)
}
