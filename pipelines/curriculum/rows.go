package curriculum

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Field is one top-level member to add to a row.
type Field struct {
	Key   string
	Value any // encoded with encoding/json
}

// ErrNotObject is wrapped by Rewrite's error for a row that is not one JSON object.
var ErrNotObject = errors.New("row is not a JSON object")

// Rewrite returns the JSON object row with front's members first, then the row's own
// members in their order and bytes (the whitespace after each separating comma kept) (less any whose key front or back names: a key is
// never written twice), then back's members. A row that is not exactly one JSON object
// is an error wrapping ErrNotObject.
func Rewrite(row string, front, back []Field) (string, error) {
	members, err := objectMembers(row)
	if err != nil {
		return "", err
	}
	replaced := map[string]bool{}
	var parts []string
	for _, fs := range [][]Field{front, back} {
		for _, f := range fs {
			replaced[f.Key] = true
		}
	}
	add := func(fs []Field) error {
		for _, f := range fs {
			k, _ := json.Marshal(f.Key)
			v, err := json.Marshal(f.Value)
			if err != nil {
				return fmt.Errorf("encode %s: %w", f.Key, err)
			}
			parts = append(parts, string(k)+":"+string(v))
		}
		return nil
	}
	if err := add(front); err != nil {
		return "", err
	}
	for _, m := range members {
		if !replaced[m.key] {
			parts = append(parts, m.text)
		}
	}
	if err := add(back); err != nil {
		return "", err
	}
	return "{" + strings.Join(parts, ",") + "}", nil
}

// member is one top-level member of an object: its key and its text ("key": value).
type member struct{ key, text string }

// objectMembers splits a JSON object into its top-level members.
func objectMembers(row string) ([]member, error) {
	dec := json.NewDecoder(strings.NewReader(row))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, ErrNotObject
	}
	var out []member
	for dec.More() {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotObject, err)
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotObject, err)
		}
		text := row[start:dec.InputOffset()]
		if len(out) > 0 { // drop the separating comma, keep the whitespace after it
			text = strings.TrimPrefix(strings.TrimLeft(text, " \t\r\n"), ",")
		}
		out = append(out, member{key: tok.(string), text: text})
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotObject, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the object", ErrNotObject)
	}
	return out, nil
}

// SampleKey returns a sample row's id: its "id", else its "sample_id" (a string or a
// number), "" when it has neither.
func SampleKey(row string) (string, error) {
	var raw struct {
		ID       json.RawMessage `json:"id"`
		SampleID json.RawMessage `json:"sample_id"`
	}
	if err := json.Unmarshal([]byte(row), &raw); err != nil {
		return "", fmt.Errorf("%w: %v", ErrNotObject, err)
	}
	if id := sampleID(raw.ID); id != "" {
		return id, nil
	}
	return sampleID(raw.SampleID), nil
}
