package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// DefaultSystem is the system message of writing rows, as Writing-RL trains.
const DefaultSystem = "You are a helpful assistant."

// WritingInput is the part of a writing select data row the trainer row needs. Other
// fields (policy_response, scores, margins, ...) are ignored.
type WritingInput struct {
	ID     string `json:"id"`
	Prompt string `json:"prompt"`
	// Criteria is the sample's criteria as JSON: a string, a list of strings, or null
	// (see CriteriaText).
	Criteria json.RawMessage `json:"criteria"`
	// References are ordered weakest to strongest (the select job's order).
	References []Reference `json:"references"`
}

// Reference is one reference response. In a data row it is either a string or an
// object whose "text" (or "response", or "content") field is the response; other
// fields (model, score) are ignored.
type Reference string

// UnmarshalJSON accepts a string or an object with a text, response or content field.
func (r *Reference) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*r = Reference(s)
		return nil
	}
	var o struct {
		Text     *string `json:"text"`
		Response *string `json:"response"`
		Content  *string `json:"content"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return fmt.Errorf("reference is neither a string nor an object: %w", err)
	}
	for _, p := range []*string{o.Text, o.Response, o.Content} {
		if p != nil {
			*r = Reference(*p)
			return nil
		}
	}
	return fmt.Errorf("reference object has no text, response or content field")
}

// DecodeWriting decodes a writing select data row. A row without id or prompt, or with
// no reference, is an error wrapping ErrBadRow.
func DecodeWriting(row []byte) (WritingInput, error) {
	var in WritingInput
	if err := json.Unmarshal(row, &in); err != nil {
		return in, fmt.Errorf("%w: writing row: %v", ErrBadRow, err)
	}
	switch {
	case in.ID == "":
		return in, fmt.Errorf("%w: writing row without id", ErrBadRow)
	case in.Prompt == "":
		return in, fmt.Errorf("%w: writing row %q without prompt", ErrBadRow, in.ID)
	case len(in.References) == 0:
		return in, fmt.Errorf("%w: writing row %q without references", ErrBadRow, in.ID)
	}
	return in, nil
}

// CriteriaText returns the criteria as text, one criterion a line (Criteria: a string as
// it is, a list of strings, WritingBench checklist objects as "name: description"), nil for
// null or absent criteria (and for a blank string or an empty list), or the compact JSON
// of a value Criteria refuses.
func (in WritingInput) CriteriaText() *string {
	list, err := Criteria(in.Criteria)
	if err != nil {
		var buf bytes.Buffer
		s := string(in.Criteria)
		if json.Compact(&buf, bytes.TrimSpace(in.Criteria)) == nil {
			s = buf.String()
		}
		return &s
	}
	if len(list) == 0 {
		return nil
	}
	s := strings.Join(list, "\n")
	return &s
}

// Targets returns the reference texts, weakest to strongest.
func (in WritingInput) Targets() []string {
	t := make([]string, len(in.References))
	for i, r := range in.References {
		t[i] = string(r)
	}
	return t
}

// FromWriting converts a writing select data row into a verl row: a system and a user
// message, ground truth {prompt, target, criteria, id}, extra_info {index: id, split}
// and the label {"branch": "writing", "sample_id": id}.
func FromWriting(row []byte, opts Options) (WritingRow, error) {
	in, err := DecodeWriting(row)
	if err != nil {
		return WritingRow{}, err
	}
	system := opts.System
	if system == "" {
		system = DefaultSystem
	}
	return WritingRow{
		DataSource: "writing",
		Prompt:     []Message{{Role: "system", Content: system}, {Role: "user", Content: in.Prompt}},
		Ability:    "write",
		RewardModel: WritingReward{Style: "rule", GroundTruth: WritingTruth{
			Prompt: in.Prompt, Target: in.Targets(), Criteria: in.CriteriaText(), ID: in.ID,
		}},
		ExtraInfo: Extra{Index: in.ID, Split: opts.split()},
		Label:     Label{Branch: BranchWriting, SampleID: in.ID}.String(),
	}, nil
}
