package export

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// A WritingBench row's checklist, as the benchmark ships it (two of its five items).
const benchChecklist = `[{"name": "Structural Completeness", "criteria_description": "Evaluates whether the outline covers\nintroduction, methods and evaluation.", "1-2": "Missing most sections.", "9-10": "Complete."},
 {"name": "Technical Accuracy", "criteria_description": "Evaluates whether RAG is described correctly.", "1-2": "Wrong.", "9-10": "Precise."}]`

func TestCriteria(t *testing.T) {
	tests := []struct {
		name, raw string
		want      []string
		wantErr   string
	}{
		{"absent", ``, nil, ""},
		{"null", `null`, nil, ""},
		{"string", `"Be concise."`, []string{"Be concise."}, ""},
		{"blank string", `"  "`, nil, ""},
		{"strings", `["a", "b"]`, []string{"a", "b"}, ""},
		{"empty list", `[]`, nil, ""},
		{"writingbench checklist", benchChecklist, []string{
			"Structural Completeness: Evaluates whether the outline covers introduction, methods and evaluation.",
			"Technical Accuracy: Evaluates whether RAG is described correctly."}, ""},
		{"description key", `[{"name": "Tone", "description": "Warm."}]`, []string{"Tone: Warm."}, ""},
		{"mixed", `["Plain.", {"name": "Tone", "criteria_description": "Warm."}]`, []string{"Plain.", "Tone: Warm."}, ""},
		{"no name", `[{"criteria_description": "Warm."}]`, nil, "criterion 0 has no name"},
		{"no description", `[{"name": "Tone", "1-2": "x"}]`, nil, "criterion 0 has no criteria_description"},
		{"blank item", `["a", " "]`, nil, "criterion 1 is empty"},
		{"number", `5`, nil, "criteria must be"},
		{"bare object", `{"name": "Tone", "criteria_description": "Warm."}`, nil, "criteria must be"},
		{"number item", `[5]`, nil, "criterion 0 is neither"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Criteria([]byte(tc.raw))
			if tc.wantErr != "" {
				if !errors.Is(err, ErrBadCriteria) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Criteria = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestCriteriaTextChecklist: what serve and the trainer rows read of a WritingBench row is
// one line per criterion, name and description.
func TestCriteriaTextChecklist(t *testing.T) {
	in, err := DecodeWriting([]byte(`{"id": "1", "prompt": "Outline a survey.", "references": ["r"], "criteria": ` +
		strings.ReplaceAll(benchChecklist, "\n ", " ") + `}`))
	if err != nil {
		t.Fatal(err)
	}
	got := in.CriteriaText()
	want := "Structural Completeness: Evaluates whether the outline covers introduction, methods and evaluation.\n" +
		"Technical Accuracy: Evaluates whether RAG is described correctly."
	if got == nil || *got != want {
		t.Errorf("CriteriaText = %v, want %q", got, want)
	}
}
