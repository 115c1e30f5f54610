package writing

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rlcurate/rlcurate/internal/judge"
)

// ModelTokens is one model's token usage for one prompt, in a generated row's "usage".
type ModelTokens struct {
	Model            string `json:"model"`
	PromptTokens     int    `json:"prompt_tokens"`
	CompletionTokens int    `json:"completion_tokens"`
	// Cached reports that the answer came from the cache (the tokens are those of the
	// call that first asked it).
	Cached bool `json:"cached"`
}

// GeneratedRow renders the output row of a prompt, what writing select reads: the row's
// extra fields, then "id", "prompt", "criteria" (unchanged, null for none), "references"
// (answers[1:] in the order of o.References, then the dataset answer when kept),
// "reference_models", "policy_response" (answers[0]), "policy_model", "source" (the row's
// own string "source", else the input format) and "usage" (one ModelTokens per model
// asked, policy first). answers are the replies of o.Models(), as the row will hold them.
func GeneratedRow(p Prompt, o GenerateOptions, answers []judge.Completion) (string, error) {
	models := o.Models()
	if len(answers) != len(models) {
		return "", fmt.Errorf("prompt %s: %d answers for %d models", p.ID, len(answers), len(models))
	}
	refs, names := make([]string, 0, len(o.References)+1), make([]string, 0, len(o.References)+1)
	usage := make([]ModelTokens, len(models))
	for i, m := range models {
		a := answers[i]
		usage[i] = ModelTokens{Model: m.Name, PromptTokens: a.PromptTokens, CompletionTokens: a.CompletionTokens, Cached: a.Cached}
		if i > 0 {
			refs, names = append(refs, a.Text), append(names, m.Name)
		}
	}
	if o.KeepDatasetAnswer && strings.TrimSpace(p.Answer) != "" {
		refs, names = append(refs, p.Answer), append(names, DatasetModel)
	}
	source := any(o.Format)
	var own string
	if json.Unmarshal(p.Extra["source"], &own) == nil && own != "" {
		source = own
	}
	criteria := p.Criteria
	if criteria == nil {
		criteria = json.RawMessage("null")
	}
	row := map[string]any{}
	for k, v := range p.Extra {
		row[k] = v
	}
	for k, v := range map[string]any{"id": p.ID, "prompt": p.Prompt, "criteria": criteria, "references": refs,
		"reference_models": names, "policy_response": answers[0].Text, "policy_model": o.Policy.Name,
		"source": source, "usage": usage} {
		row[k] = v
	}
	b, err := json.Marshal(row)
	if err != nil {
		return "", fmt.Errorf("encode generated row %s: %w", p.ID, err)
	}
	return string(b), nil
}
