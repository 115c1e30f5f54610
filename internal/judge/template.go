package judge

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"text/template"
)

//go:embed templates/pointwise.tmpl
var defaultPointwiseText string

//go:embed templates/pairwise.tmpl
var defaultPairwiseText string

// Template is a prompt template rendered with text/template into the user
// message of a judge call. Its Version is a hash of its text, so editing the
// template changes every cache key that uses it.
type Template struct {
	// Name identifies the template in errors (a path or "default-pointwise").
	Name string
	// Version is "sha256:" followed by the first 16 hex digits of the
	// SHA-256 of the template text.
	Version string
	tmpl    *template.Template
}

// PointwiseData is what a pointwise template is rendered with:
// {{.Prompt}}, {{.Criterion}} (may be empty), {{.Response}} and {{.Nonce}}. The client
// fills it with NewPointwiseData: every field but Nonce is a delimited block (see Wrap),
// the response neutralised first (see Neutralize).
type PointwiseData struct {
	Prompt    string
	Criterion string
	Response  string
	Nonce     string
}

// PairwiseData is what a pairwise template is rendered with:
// {{.Prompt}}, {{.Criteria}} (may be empty), {{.A}}, {{.B}} and {{.Nonce}}. The client
// fills it with NewPairwiseData, as PointwiseData.
type PairwiseData struct {
	Prompt   string
	Criteria string
	A        string
	B        string
	Nonce    string
}

// NewPointwiseData neutralises the response, derives the request's nonce under the
// template version and wraps every text in its delimiters (an empty criterion stays
// empty, so that {{if .Criterion}} still works).
func NewPointwiseData(templateVersion string, req PointwiseRequest) PointwiseData {
	resp := Neutralize(req.Response)
	nonce := Nonce(templateVersion, req.Prompt, req.Criterion, resp)
	d := PointwiseData{Prompt: Wrap("REQUEST", nonce, req.Prompt), Response: Wrap("RESPONSE", nonce, resp), Nonce: nonce}
	if req.Criterion != "" {
		d.Criterion = Wrap("CRITERIA", nonce, req.Criterion)
	}
	return d
}

// NewPairwiseData is NewPointwiseData for a pairwise request: both answers are
// neutralised and wrapped.
func NewPairwiseData(templateVersion string, req PairwiseRequest) PairwiseData {
	a, b := Neutralize(req.A), Neutralize(req.B)
	nonce := Nonce(templateVersion, req.Prompt, req.Criteria, a, b)
	d := PairwiseData{Prompt: Wrap("REQUEST", nonce, req.Prompt), A: Wrap("ANSWER_A", nonce, a), B: Wrap("ANSWER_B", nonce, b), Nonce: nonce}
	if req.Criteria != "" {
		d.Criteria = Wrap("CRITERIA", nonce, req.Criteria)
	}
	return d
}

// ParseTemplate parses text as a template called name. Referring to a field
// the data does not have is an error at render time.
func ParseTemplate(name, text string) (*Template, error) {
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("parse template %s: %w", name, err)
	}
	sum := sha256.Sum256([]byte(text))
	return &Template{Name: name, Version: "sha256:" + hex.EncodeToString(sum[:8]), tmpl: t}, nil
}

// LoadTemplate reads and parses the template file at path.
func LoadTemplate(path string) (*Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load template: %w", err)
	}
	return ParseTemplate(path, string(b))
}

// DefaultPointwise returns the embedded pointwise template (WritingBench
// critic style: one criterion, or general dimensions when the criterion is
// empty; JSON reply with an integer score 1..10 and a reason).
func DefaultPointwise() *Template { return mustDefault("default-pointwise", defaultPointwiseText) }

// DefaultPairwise returns the embedded pairwise template (prompt, optional
// criteria, answers A and B; ignore position, length and names; severe
// repetition loses; last line [[A]], [[B]] or [[C]]).
func DefaultPairwise() *Template { return mustDefault("default-pairwise", defaultPairwiseText) }

// DefaultTemplateText returns the text of the embedded template kind
// ("pointwise" or "pairwise"), for users who want a copy to edit.
func DefaultTemplateText(kind string) (string, error) {
	switch kind {
	case "pointwise":
		return defaultPointwiseText, nil
	case "pairwise":
		return defaultPairwiseText, nil
	}
	return "", fmt.Errorf("no default template %q (want pointwise or pairwise)", kind)
}

func mustDefault(name, text string) *Template {
	t, err := ParseTemplate(name, text)
	if err != nil {
		// The embedded templates are parsed by the package tests.
		panic(fmt.Sprintf("embedded template %s: %v", name, err))
	}
	return t
}

// Render executes the template with data and returns the text.
func (t *Template) Render(data any) (string, error) {
	var buf bytes.Buffer
	if err := t.tmpl.Execute(&buf, data); err != nil {
		return "", fmt.Errorf("render template %s: %w", t.Name, err)
	}
	return buf.String(), nil
}
