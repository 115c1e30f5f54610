package writing

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/rlcurate/rlcurate/internal/export"
)

// The input formats of writing generate (--input-format).
const (
	// FormatJSONL rows are {"id"?, "prompt", "criteria"?, ...}.
	FormatJSONL = "jsonl"
	// FormatWritingBench rows are WritingBench's benchmark rows {"index", "query",
	// "checklist", "domain1"?, "domain2"?, "lang"?}.
	FormatWritingBench = "writingbench"
	// FormatLongWriter rows are LongWriter-6k rows {"messages": [{"role", "content"}, ...]}.
	FormatLongWriter = "longwriter"
)

// ErrBadPrompt is wrapped by every error ParsePrompt returns.
var ErrBadPrompt = errors.New("bad prompt row")

// Prompt is one prompt of writing generate, as read from an input row.
type Prompt struct {
	ID     string
	Prompt string
	// Criteria is the row's criteria (a WritingBench checklist) exactly as in the input, or
	// nil when it has none.
	Criteria json.RawMessage
	// Answer is a LongWriter row's assistant turn after the prompt ("" for none).
	Answer string
	// Extra holds the row's other fields (domain1, domain2, lang, ...), carried to the
	// output row.
	Extra map[string]json.RawMessage
}

// ParsePrompt reads one input row of the given format. The prompt (WritingBench's query,
// LongWriter's first user turn) must be a non-blank string and the criteria what
// export.Criteria accepts; both are kept unchanged. The id is the row's "id" (a string or
// a number), else WritingBench's "index", else PromptID of the prompt, so it is the same
// on every run.
func ParsePrompt(format string, row []byte) (Prompt, error) {
	var f map[string]json.RawMessage
	if err := json.Unmarshal(row, &f); err != nil || f == nil {
		return Prompt{}, fmt.Errorf("%w: not a JSON object", ErrBadPrompt)
	}
	var p Prompt
	var err error
	switch format {
	case FormatJSONL:
		p.Prompt, err = promptText(f, "prompt")
		p.Criteria = f["criteria"]
		delete(f, "prompt")
		delete(f, "criteria")
	case FormatWritingBench:
		p.Prompt, err = promptText(f, "query")
		p.Criteria = f["checklist"]
		if _, ok := f["id"]; !ok {
			f["id"] = f["index"]
		}
		delete(f, "query")
		delete(f, "checklist")
	case FormatLongWriter:
		p.Prompt, p.Answer, err = longWriterTurns(f["messages"])
		delete(f, "messages")
	default:
		return Prompt{}, fmt.Errorf("unknown input format %q (want jsonl, writingbench or longwriter)", format)
	}
	if err != nil {
		return Prompt{}, err
	}
	if _, err := export.Criteria(p.Criteria); err != nil {
		return Prompt{}, fmt.Errorf("%w: %v", ErrBadPrompt, err)
	}
	if isNull(p.Criteria) {
		p.Criteria = nil
	}
	if p.ID, err = rowID(f["id"], p.Prompt); err != nil {
		return Prompt{}, err
	}
	delete(f, "id")
	p.Extra = f
	return p, nil
}

// PromptID is the id of a prompt without one: "sha256-" and the first 16 hex digits of
// the SHA-256 of its text.
func PromptID(prompt string) string {
	sum := sha256.Sum256([]byte(prompt))
	return "sha256-" + hex.EncodeToString(sum[:8])
}

// rowID reads an id that is a non-blank string or an integer; absent or null gives
// PromptID(prompt).
func rowID(raw json.RawMessage, prompt string) (string, error) {
	if len(raw) == 0 || isNull(raw) {
		return PromptID(prompt), nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
		return s, nil
	}
	var n int64
	if json.Unmarshal(raw, &n) == nil {
		return strconv.FormatInt(n, 10), nil
	}
	return "", fmt.Errorf("%w: id is neither a non-empty string nor an integer", ErrBadPrompt)
}

// promptText reads the non-blank string field name.
func promptText(f map[string]json.RawMessage, name string) (string, error) {
	var s string
	raw, ok := f[name]
	if !ok || isNull(raw) {
		return "", fmt.Errorf("%w: no %s", ErrBadPrompt, name)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%w: %s is not a string", ErrBadPrompt, name)
	}
	if strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("%w: %s is empty", ErrBadPrompt, name)
	}
	return s, nil
}

// longWriterTurns returns the first user turn and the assistant turn that follows it.
func longWriterTurns(raw json.RawMessage) (prompt, answer string, err error) {
	var msgs []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &msgs) != nil {
		return "", "", fmt.Errorf("%w: messages is not a list of {role, content}", ErrBadPrompt)
	}
	user := -1
	for i, m := range msgs {
		if m.Role == "user" {
			user = i
			break
		}
	}
	if user < 0 {
		return "", "", fmt.Errorf("%w: no user turn in messages", ErrBadPrompt)
	}
	f := map[string]json.RawMessage{"content": msgs[user].Content}
	if prompt, err = promptText(f, "content"); err != nil {
		return "", "", fmt.Errorf("%w (the first user turn)", err)
	}
	if user+1 < len(msgs) && msgs[user+1].Role == "assistant" {
		_ = json.Unmarshal(msgs[user+1].Content, &answer)
	}
	return prompt, answer, nil
}
