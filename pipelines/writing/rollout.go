package writing

import (
	"encoding/json"
	"fmt"
)

// Rollout is a rollout row of the label job:
//
//	{"id": str, "sample_id": str, "response": str, "step": int, "split": "train"|"validation"}
//
// step defaults to 0 and split to "train". The response may be empty (the judge decides).
type Rollout struct {
	ID       string `json:"id"`
	SampleID string `json:"sample_id"`
	Response string `json:"response"`
	Step     int    `json:"step"`
	Split    string `json:"split"`
}

// ParseRollout decodes and validates a rollout row.
func ParseRollout(row []byte) (Rollout, error) {
	var r Rollout
	if err := json.Unmarshal(row, &r); err != nil {
		return r, fmt.Errorf("bad rollout: %v", err)
	}
	switch {
	case r.ID == "":
		return r, fmt.Errorf("bad rollout: no id")
	case r.SampleID == "":
		return r, fmt.Errorf("bad rollout: no sample_id")
	case r.Step < 0:
		return r, fmt.Errorf("bad rollout: step %d < 0", r.Step)
	}
	switch r.Split {
	case "":
		r.Split = "train"
	case "train", "validation":
	default:
		return r, fmt.Errorf("bad rollout: split %q (want train or validation)", r.Split)
	}
	return r, nil
}

// LabelRow is a row of the label job's output.
type LabelRow struct {
	ID             string   `json:"id"`
	SampleID       string   `json:"sample_id"`
	ReferenceIndex int      `json:"reference_index"` // in the sample's ladder (0 = weakest)
	Rungs          int      `json:"rungs"`           // references of the sample
	Verdicts       []string `json:"verdicts"`        // "A", "B" or "C", one per judge call in order
	Order          string   `json:"order"`           // policy-second, policy-first or both
	Outcome        string   `json:"outcome"`         // win, tie or loss
	Reward         float64  `json:"reward"`
	Step           int      `json:"step"`
	Split          string   `json:"split"`
	// AnswerNote says why the answer the judge saw was empty: "unclosed <think>" for a
	// response that opened its thinking and never closed it (judge.StripThinking); absent
	// otherwise.
	AnswerNote string `json:"answer_note,omitempty"`
}
