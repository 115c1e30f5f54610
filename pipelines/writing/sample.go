package writing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/rlcurate/rlcurate/internal/export"
)

// Sample is a writing sample as read from an input row:
//
//	{"id": str, "prompt": str, "criteria": str | [str | checklist object, ...] | null,
//	 "references": [str, ...], "policy_response": str, ...extra fields}
//
// Fields holds every field of the row, extra ones included, so that outputs carry them
// through.
type Sample struct {
	ID             string
	Prompt         string
	Criteria       []string // one entry per criterion; empty means general dimensions
	References     []string
	PolicyResponse string
	Fields         map[string]json.RawMessage
}

// ErrBadSample is wrapped by every error ParseSample returns.
var ErrBadSample = errors.New("bad sample")

// ParseSample decodes and validates one input row. The id, prompt and policy_response must
// be non-empty strings; references a non-empty list of non-empty strings. criteria may be
// missing or null (scored on general dimensions), a string (one criterion) or a list of
// strings (one criterion each; an empty list is the same as null); any other type is an
// error. List items may also be WritingBench checklist objects {"name",
// "criteria_description", ...}, one criterion "name: description" each (export.Criteria).
// Whitespace-only text counts as empty.
func ParseSample(row []byte) (Sample, error) {
	var s Sample
	if err := json.Unmarshal(row, &s.Fields); err != nil {
		return s, fmt.Errorf("%w: not a JSON object: %v", ErrBadSample, err)
	}
	if s.Fields == nil {
		return s, fmt.Errorf("%w: not a JSON object", ErrBadSample)
	}
	var err error
	if s.ID, err = requiredString(s.Fields, "id"); err != nil {
		return s, err
	}
	if s.Prompt, err = requiredString(s.Fields, "prompt"); err != nil {
		return s, err
	}
	if s.PolicyResponse, err = requiredString(s.Fields, "policy_response"); err != nil {
		return s, err
	}
	if s.Criteria, err = parseCriteria(s.Fields["criteria"]); err != nil {
		return s, err
	}
	if s.References, err = parseReferences(s.Fields["references"]); err != nil {
		return s, err
	}
	return s, nil
}

// ParseID returns the row's "id" if it is a non-empty string, else "". It lets a dead
// letter name the sample even when the rest of the row is bad.
func ParseID(row []byte) string {
	var r struct {
		ID any `json:"id"`
	}
	if json.Unmarshal(row, &r) != nil {
		return ""
	}
	id, _ := r.ID.(string)
	return id
}

func requiredString(f map[string]json.RawMessage, name string) (string, error) {
	raw, ok := f[name]
	if !ok || isNull(raw) {
		return "", fmt.Errorf("%w: no %s", ErrBadSample, name)
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", fmt.Errorf("%w: %s is not a string", ErrBadSample, name)
	}
	if strings.TrimSpace(v) == "" {
		return "", fmt.Errorf("%w: %s is empty", ErrBadSample, name)
	}
	return v, nil
}

// parseCriteria is export.Criteria, the one parser of criteria, with its error marked as a
// bad sample.
func parseCriteria(raw json.RawMessage) ([]string, error) {
	c, err := export.Criteria(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadSample, err)
	}
	return c, nil
}

func parseReferences(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || isNull(raw) {
		return nil, fmt.Errorf("%w: no references", ErrBadSample)
	}
	var refs []string
	if err := json.Unmarshal(raw, &refs); err != nil {
		return nil, fmt.Errorf("%w: references must be a list of strings", ErrBadSample)
	}
	if len(refs) == 0 {
		return nil, fmt.Errorf("%w: no references", ErrBadSample)
	}
	for i, r := range refs {
		if strings.TrimSpace(r) == "" {
			return nil, fmt.Errorf("%w: reference %d is empty", ErrBadSample, i)
		}
	}
	return refs, nil
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// CriteriaText joins the criteria for a pairwise prompt: one per line, "" for none.
func CriteriaText(criteria []string) string { return strings.Join(criteria, "\n") }
