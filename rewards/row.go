package rewards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// DecodeMusegInput decodes one input row {"id": str, "completion": str,
// "solution": [[s, e], ...], "sample_id": str, "group": str, ...}; other fields are
// ignored, "id" and "sample_id" may also be numbers, and "sample_id" and "group" are
// optional (a value that is neither a string nor a number reads as absent). A row that is not a JSON object, has no string completion, or whose
// solution is not a list of [start, end] number pairs is an error wrapping
// ErrBadRow. The returned input keeps whatever id could be read, for error rows.
func DecodeMusegInput(row []byte) (MusegInput, error) {
	var raw struct {
		ID         json.RawMessage `json:"id"`
		SampleID   json.RawMessage `json:"sample_id"`
		Group      json.RawMessage `json:"group"`
		Completion json.RawMessage `json:"completion"`
		Solution   json.RawMessage `json:"solution"`
	}
	var in MusegInput
	if err := json.Unmarshal(row, &raw); err != nil {
		return in, fmt.Errorf("%w: not a JSON object: %v", ErrBadRow, err)
	}
	in.ID = decodeID(raw.ID)
	in.SampleID, in.Group = decodeID(raw.SampleID), decodeID(raw.Group)
	if len(raw.Completion) == 0 || bytes.Equal(raw.Completion, []byte("null")) {
		return in, fmt.Errorf("%w: no completion", ErrBadRow)
	}
	if err := json.Unmarshal(raw.Completion, &in.Completion); err != nil {
		return in, fmt.Errorf("%w: completion is not a string", ErrBadRow)
	}
	if len(raw.Solution) == 0 || bytes.Equal(raw.Solution, []byte("null")) {
		return in, fmt.Errorf("%w: no solution", ErrBadRow)
	}
	var pairs [][]float64
	if err := json.Unmarshal(raw.Solution, &pairs); err != nil {
		return in, fmt.Errorf("%w: solution is not a list of [start, end] pairs", ErrBadRow)
	}
	in.Solution = make([][2]float64, len(pairs))
	for i, p := range pairs {
		if len(p) != 2 {
			return in, fmt.Errorf("%w: solution item %d has %d numbers, want 2", ErrBadRow, i, len(p))
		}
		in.Solution[i] = [2]float64{p[0], p[1]}
	}
	return in, nil
}

// decodeID reads a JSON string or number id; anything else gives "".
func decodeID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if _, err := strconv.ParseFloat(n.String(), 64); err == nil {
			return n.String()
		}
	}
	return ""
}
