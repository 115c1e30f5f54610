package writing

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/internal/judge"
)

// readTestRows returns the lines of testdata/generate/name.
func readTestRows(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "generate", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		rows = append(rows, sc.Text())
	}
	return rows
}

func TestParsePrompt(t *testing.T) {
	tests := []struct {
		name, format, file string
		line               int
		id, prompt, answer string
		criteria           []string // as the judge reads them (export.Criteria)
		extra              []string
		wantErr            string
	}{
		{name: "writingbench en", format: FormatWritingBench, file: "writingbench.jsonl", line: 0, id: "1",
			prompt: "Write an outline for a survey paper on retrieval-augmented generation.",
			criteria: []string{"Structural Completeness: Evaluates whether the outline covers introduction, methods, evaluation and open problems.",
				"Technical Accuracy: Evaluates whether the retrieval and generation components are described correctly."},
			extra: []string{"domain1", "domain2", "index", "lang"}},
		{name: "writingbench zh", format: FormatWritingBench, file: "writingbench.jsonl", line: 1, id: "2",
			prompt: "写一首关于秋天的现代诗，不少于十二行。", criteria: []string{"意象: 评估诗歌是否使用了具体的秋天意象。"},
			extra: []string{"domain1", "domain2", "index", "lang"}},
		{name: "writingbench empty query", format: FormatWritingBench, file: "writingbench.jsonl", line: 2, wantErr: "query is empty"},
		{name: "longwriter with answer", format: FormatLongWriter, file: "longwriter.jsonl", line: 0,
			id:     PromptID("Write a 2000-word travel essay about walking the length of Hadrian's Wall."),
			prompt: "Write a 2000-word travel essay about walking the length of Hadrian's Wall.", answer: "Day one began at Wallsend, where the wall once met the river."},
		{name: "longwriter after system", format: FormatLongWriter, file: "longwriter.jsonl", line: 1,
			id: PromptID("Write a long letter from a lighthouse keeper to his daughter."), prompt: "Write a long letter from a lighthouse keeper to his daughter."},
		{name: "longwriter no user", format: FormatLongWriter, file: "longwriter.jsonl", line: 2, wantErr: "no user turn"},
		{name: "jsonl own id", format: FormatJSONL, file: "prompts.jsonl", line: 0, id: "p-rain", prompt: "Write a short essay about rain in the city.",
			criteria: []string{"Uses concrete images.", "Ends with a clear point."}, extra: []string{"topic"}},
		{name: "jsonl hashed id", format: FormatJSONL, file: "prompts.jsonl", line: 1, id: "sha256-", prompt: "Write a haiku about bread.",
			criteria: []string{"Follows the 5-7-5 pattern."}},
		{name: "jsonl number id", format: FormatJSONL, file: "prompts.jsonl", line: 2, id: "42", prompt: "Write a product description for a paper notebook."},
		{name: "jsonl not json", format: FormatJSONL, file: "prompts.jsonl", line: 3, wantErr: "not a JSON object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParsePrompt(tc.format, []byte(readTestRows(t, tc.file)[tc.line]))
			if tc.wantErr != "" {
				if err == nil || !errors.Is(err, ErrBadPrompt) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(p.ID, tc.id) || (tc.id == "sha256-" && len(p.ID) != len("sha256-")+16) {
				t.Errorf("id %q, want %q", p.ID, tc.id)
			}
			if p.Prompt != tc.prompt || p.Answer != tc.answer {
				t.Errorf("prompt %q answer %q", p.Prompt, p.Answer)
			}
			s, err := ParseSample(sampleWith(t, p))
			if err != nil || !reflect.DeepEqual(s.Criteria, tc.criteria) {
				t.Errorf("criteria as select reads them = %q (%v), want %q", s.Criteria, err, tc.criteria)
			}
			var keys []string
			for k := range p.Extra {
				keys = append(keys, k)
			}
			if len(keys) > 0 || len(tc.extra) > 0 {
				sort.Strings(keys)
				if !reflect.DeepEqual(keys, tc.extra) {
					t.Errorf("extra fields %v, want %v", keys, tc.extra)
				}
			}
		})
	}
}

// sampleWith renders p as a generated row with two reference answers.
func sampleWith(t *testing.T, p Prompt) []byte {
	t.Helper()
	o := GenerateOptions{Format: FormatJSONL, Policy: GenerateModel{Name: "pol"}, References: []GenerateModel{{Name: "r1"}, {Name: "r2"}}}
	row, err := GeneratedRow(p, o, []judge.Completion{{Text: "policy"}, {Text: "one"}, {Text: "two"}})
	if err != nil {
		t.Fatal(err)
	}
	return []byte(row)
}

// TestGeneratedRowKeepsCriteriaAndOrder: the checklist is the input's, key order and text
// unchanged (compact JSON), references follow --reference-models, then the kept dataset answer.
func TestGeneratedRowKeepsCriteriaAndOrder(t *testing.T) {
	line := readTestRows(t, "writingbench.jsonl")[0]
	p, err := ParsePrompt(FormatWritingBench, []byte(line))
	if err != nil {
		t.Fatal(err)
	}
	p.Answer = "from the dataset"
	o := GenerateOptions{Format: FormatLongWriter, KeepDatasetAnswer: true, Policy: GenerateModel{Name: "small"},
		References: []GenerateModel{{Name: "zeta"}, {Name: "alpha"}}}
	row, err := GeneratedRow(p, o, []judge.Completion{{Text: "P", PromptTokens: 3, CompletionTokens: 4}, {Text: "Z", Cached: true}, {Text: "A"}})
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(row), &got); err != nil {
		t.Fatal(err)
	}
	var in map[string]json.RawMessage
	json.Unmarshal([]byte(line), &in)
	var want bytes.Buffer
	json.Compact(&want, in["checklist"])
	if string(got["criteria"]) != want.String() {
		t.Errorf("criteria %s\nwant the input checklist %s", got["criteria"], in["checklist"])
	}
	for field, want := range map[string]string{
		"references": `["Z","A","from the dataset"]`, "reference_models": `["zeta","alpha","dataset"]`,
		"policy_response": `"P"`, "policy_model": `"small"`, "source": `"longwriter"`, "domain2": `"Paper Outline"`,
		"usage": `[{"model":"small","prompt_tokens":3,"completion_tokens":4,"cached":false},{"model":"zeta","prompt_tokens":0,"completion_tokens":0,"cached":true},{"model":"alpha","prompt_tokens":0,"completion_tokens":0,"cached":false}]`,
	} {
		if string(got[field]) != want {
			t.Errorf("%s = %s, want %s", field, got[field], want)
		}
	}
}

func TestParseModel(t *testing.T) {
	tests := []struct{ spec, base, name, url, wantErr string }{
		{"gpt-4o", "https://api.example/v1", "gpt-4o", "https://api.example/v1", ""},
		{"qwen@http://127.0.0.1:8000/v1", "https://api.example/v1", "qwen", "http://127.0.0.1:8000/v1", ""},
		{"claude-3@20240620@https://vertex.example/v1", "", "claude-3@20240620", "https://vertex.example/v1", ""},
		{"claude-3@20240620", "", "", "", "no endpoint"},
		{"@https://x/v1", "", "", "", "no name"},
	}
	for _, tc := range tests {
		m, err := ParseModel(tc.spec, tc.base)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseModel(%q) err %v, want %q", tc.spec, err, tc.wantErr)
			}
			continue
		}
		if err != nil || m.Name != tc.name || m.BaseURL != tc.url {
			t.Errorf("ParseModel(%q) = %+v, %v", tc.spec, m, err)
		}
	}
}
