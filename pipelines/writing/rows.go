package writing

import (
	"encoding/json"
	"fmt"
)

// ScoreRow is a row of the select job's scores output:
//
//	{"id", "policy_score", "reference_scores": [...] (input order), "margin", "selected"}
type ScoreRow struct {
	ID              string    `json:"id"`
	PolicyScore     float64   `json:"policy_score"`
	ReferenceScores []float64 `json:"reference_scores"`
	Margin          float64   `json:"margin"`
	Selected        bool      `json:"selected"`
}

// EncodeScoreRow renders the score row of a sample.
func EncodeScoreRow(id string, sc Scores, selected bool) (string, error) {
	b, err := json.Marshal(ScoreRow{ID: id, PolicyScore: sc.Policy, ReferenceScores: sc.References, Margin: sc.Margin(), Selected: selected})
	if err != nil {
		return "", fmt.Errorf("encode score row %s: %w", id, err)
	}
	return string(b), nil
}

// SelectedRow renders a selected sample: every input field, with "references" reordered
// weakest to strongest, and added "reference_scores" (aligned with the reordered
// references), "reference_order" (the input index of each reordered reference),
// "policy_score" and "margin".
func SelectedRow(record []byte, sc Scores) (string, error) {
	s, err := ParseSample(record)
	if err != nil {
		return "", err
	}
	if len(s.References) != len(sc.References) {
		return "", fmt.Errorf("%d references but %d scores", len(s.References), len(sc.References))
	}
	order := sc.Ladder()
	refs := make([]string, len(order))
	scores := make([]float64, len(order))
	for i, j := range order {
		refs[i], scores[i] = s.References[j], sc.References[j]
	}
	set := map[string]any{"references": refs, "reference_scores": scores, "reference_order": order,
		"policy_score": sc.Policy, "margin": sc.Margin()}
	for k, v := range set {
		b, err := json.Marshal(v)
		if err != nil {
			return "", fmt.Errorf("encode %s: %w", k, err)
		}
		s.Fields[k] = b
	}
	b, err := json.Marshal(s.Fields)
	if err != nil {
		return "", fmt.Errorf("encode sample %s: %w", s.ID, err)
	}
	return string(b), nil
}
