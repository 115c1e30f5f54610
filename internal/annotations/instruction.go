package annotations

import (
	_ "embed"
	"fmt"
	"os"
	"strings"
)

// QuestionPlaceholder marks where the question goes in an instruction template.
const QuestionPlaceholder = "{question}"

//go:embed instructions/phase1.txt
var defaultPhase1 string

//go:embed instructions/phase2.txt
var defaultPhase2 string

// DefaultInstruction returns the project's instruction template for phase p
// (phase 1 demands timestamps cited in the reasoning, phase 2 does not), or
// an error for a phase other than 1 or 2. The text is embedded from
// instructions/phase{1,2}.txt, without its trailing newline.
func DefaultInstruction(p Phase) (string, error) {
	switch p {
	case Phase1:
		return strings.TrimRight(defaultPhase1, "\r\n"), nil
	case Phase2:
		return strings.TrimRight(defaultPhase2, "\r\n"), nil
	}
	return "", fmt.Errorf("instruction: unknown phase %d", p)
}

// LoadInstruction reads an instruction template from a file a user supplies
// (for example the exact wording a MUSEG-trained model expects). Trailing
// newlines are dropped; an empty or blank file is an error.
func LoadInstruction(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("load instruction %s: %w", path, err)
	}
	s := strings.TrimRight(string(b), "\r\n")
	if strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("load instruction %s: file is empty", path)
	}
	return s, nil
}

// Prompt builds the full prompt text from a question and an instruction
// template. If the template contains QuestionPlaceholder, every occurrence is
// replaced by the question (so a template controls the joining punctuation), except
// that a question which already ends a sentence ("?", "!", "." and their full-width
// forms) keeps its own mark instead of the one the template puts right after the
// placeholder: "Where is it?" and "{question}. First" give "Where is it? First", not
// "Where is it?. First". Otherwise the prompt is the question, a space, then the template.
func Prompt(question, instruction string) string {
	if strings.Contains(instruction, QuestionPlaceholder) {
		question = strings.TrimRight(question, " \t")
		if endsSentence(question) {
			for _, mark := range []string{".", "?", "!"} {
				instruction = strings.ReplaceAll(instruction, QuestionPlaceholder+mark, QuestionPlaceholder)
			}
		}
		return strings.ReplaceAll(instruction, QuestionPlaceholder, question)
	}
	if instruction == "" {
		return question
	}
	return question + " " + instruction
}

// endsSentence reports whether s ends with a sentence's closing mark.
func endsSentence(s string) bool {
	for _, mark := range []string{".", "?", "!", "\u3002", "\uff1f", "\uff01"} {
		if strings.HasSuffix(s, mark) {
			return true
		}
	}
	return false
}
