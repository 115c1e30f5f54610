package judge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultTemplatesRender(t *testing.T) {
	tests := []struct {
		name    string
		tmpl    *Template
		data    any
		want    []string
		notWant []string
	}{
		{
			name:    "pointwise with criterion",
			tmpl:    DefaultPointwise(),
			data:    PointwiseData{Prompt: "Write a haiku about rain", Criterion: "Imagery: vivid sensory detail", Response: "Drops on tin roofs"},
			want:    []string{"Write a haiku about rain", "Imagery: vivid sensory detail", "Drops on tin roofs", `"score"`, "between 1 and 10"},
			notWant: []string{"general quality"},
		},
		{
			name: "pointwise general dimensions",
			tmpl: DefaultPointwise(),
			data: PointwiseData{Prompt: "Write a story", Response: "Once upon a time"},
			want: []string{"general quality", "Write a story", "Once upon a time"},
		},
		{
			name:    "pairwise without criteria",
			tmpl:    DefaultPairwise(),
			data:    PairwiseData{Prompt: "Write a poem", A: "answer-one", B: "answer-two"},
			want:    []string{"Write a poem", "answer-one", "answer-two", "[[A]]", "[[B]]", "[[C]]", "order", "length", "names", "repetition"},
			notWant: []string{"against these criteria"},
		},
		{
			name: "pairwise with criteria",
			tmpl: DefaultPairwise(),
			data: PairwiseData{Prompt: "p", Criteria: "Must rhyme", A: "a", B: "b"},
			want: []string{"against these criteria", "Must rhyme"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.tmpl.Render(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("rendered text lacks %q", w)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(got, w) {
					t.Errorf("rendered text has %q", w)
				}
			}
		})
	}
}

func TestTemplateVersionAndLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mine.tmpl")
	text := "Score {{.Response}} for {{.Prompt}}"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadTemplate(path)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseTemplate("other-name", text)
	if err != nil {
		t.Fatal(err)
	}
	edited, err := ParseTemplate("mine", text+" ")
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Version != parsed.Version {
		t.Errorf("same text, different versions: %s vs %s", loaded.Version, parsed.Version)
	}
	if loaded.Version == edited.Version {
		t.Errorf("edited text kept version %s", loaded.Version)
	}
	if DefaultPointwise().Version == DefaultPairwise().Version {
		t.Error("default templates share a version")
	}
	got, err := loaded.Render(PointwiseData{Prompt: "P", Response: "R"})
	if err != nil || got != "Score R for P" {
		t.Errorf("Render = %q, %v", got, err)
	}
	if _, err := LoadTemplate(filepath.Join(dir, "missing.tmpl")); err == nil {
		t.Error("LoadTemplate of a missing file succeeded")
	}
	if _, err := ParseTemplate("bad", "{{.Prompt"); err == nil {
		t.Error("ParseTemplate of a broken template succeeded")
	}
	unknown, err := ParseTemplate("unknown-field", "{{.Nope}}")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := unknown.Render(PointwiseData{}); err == nil {
		t.Error("Render with an unknown field succeeded")
	}
}
