package judge

import "strings"

// NoteUnclosedThinking is the answer note of a completion that opens "<think>" and never
// closes it: its answer is empty (StripThinking).
const NoteUnclosedThinking = "unclosed <think>"

// The tags a reasoning model wraps its thinking in.
const (
	thinkOpen  = "<think>"
	thinkClose = "</think>"
)

// StripThinking returns a completion's answer, the part a judge sees and `writing
// generate --strip-thinking` keeps, with a note saying why the answer is empty when the
// thinking never ended:
//
//   - a completion with a "</think>" and no "<think>" after it: the text after the last
//     "</think>", surrounding whitespace removed (a model whose template opens the
//     thinking itself emits only the closing tag);
//   - one that opens "<think>" with no "</think>" after it (cut off while thinking): ""
//     with note NoteUnclosedThinking, whatever came before the opening tag;
//   - one with neither tag: the text unchanged, judged whole.
//
// The note is "" in the other cases, including an empty text after "</think>". Tags are
// matched exactly (lower case, no attributes).
func StripThinking(text string) (answer, note string) {
	open, end := strings.LastIndex(text, thinkOpen), strings.LastIndex(text, thinkClose)
	switch {
	case open > end:
		return "", NoteUnclosedThinking
	case end >= 0:
		return strings.TrimSpace(text[end+len(thinkClose):]), ""
	}
	return text, ""
}
