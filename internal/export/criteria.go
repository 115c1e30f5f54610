package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrBadCriteria is wrapped by every error Criteria returns.
var ErrBadCriteria = errors.New("criteria must be a string, a list of strings or WritingBench checklist objects, or null")

// Checklist is one WritingBench checklist item:
//
//	{"name": "Clarity", "criteria_description": "…", "1-2": "…", …, "9-10": "…"}
//
// The score-band descriptors are not read. "description" is accepted for
// "criteria_description".
type Checklist struct {
	Name        string `json:"name"`
	Description string `json:"criteria_description"`
	Alt         string `json:"description"`
}

// Line renders the item for the judge as one line: "name: description".
func (c Checklist) Line() string {
	d := c.Description
	if strings.TrimSpace(d) == "" {
		d = c.Alt
	}
	return strings.TrimSpace(c.Name) + ": " + oneLine(d)
}

// Criteria is the one parser of a writing row's criteria (writing select and label, serve,
// the trainer rows): it returns one entry per criterion, as the judge reads them. raw may
// be absent or null (none), a string (one criterion; blank means none), or a list (empty
// means none) whose items are strings (one criterion each) or WritingBench checklist
// objects (one line "name: description" each, see Checklist). A blank string item, an
// object without a name or description, and any other value are errors wrapping
// ErrBadCriteria.
func Criteria(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		if strings.TrimSpace(one) == "" {
			return nil, nil
		}
		return []string{one}, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, ErrBadCriteria
	}
	var out []string
	for i, item := range items {
		c, err := criterion(item)
		if err != nil {
			return nil, fmt.Errorf("%w: criterion %d %s", ErrBadCriteria, i, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// criterion reads one list item: a non-blank string or a checklist object.
func criterion(item json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(item, &s); err == nil {
		if strings.TrimSpace(s) == "" {
			return "", errors.New("is empty")
		}
		return s, nil
	}
	item = bytes.TrimSpace(item)
	if len(item) == 0 || item[0] != '{' {
		return "", errors.New("is neither a string nor an object")
	}
	var c Checklist
	if err := json.Unmarshal(item, &c); err != nil {
		return "", fmt.Errorf("is not a checklist object: %v", err)
	}
	switch {
	case strings.TrimSpace(c.Name) == "":
		return "", errors.New("has no name")
	case strings.TrimSpace(c.Description) == "" && strings.TrimSpace(c.Alt) == "":
		return "", errors.New("has no criteria_description")
	}
	return c.Line(), nil
}

// oneLine folds the line breaks of s into spaces, so a criterion stays one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
