package annotations

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultInstructions(t *testing.T) {
	p1, err := DefaultInstruction(Phase1)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := DefaultInstruction(Phase2)
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"phase1": p1, "phase2": p2} {
		for _, want := range []string{QuestionPlaceholder, "<think></think>", "<answer></answer>", "X.XX-X.XX", "spaces", "<think>...</think><answer>...</answer>"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s instruction lacks %q", name, want)
			}
		}
		if strings.HasSuffix(text, "\n") {
			t.Errorf("%s instruction keeps its trailing newline", name)
		}
	}
	if !strings.Contains(p1, "timestamps") || !strings.Contains(p1, "cite") {
		t.Error("phase 1 instruction must demand cited timestamps")
	}
	if strings.Contains(p2, "cite") {
		t.Error("phase 2 instruction must not demand cited timestamps")
	}
	if _, err := DefaultInstruction(3); err == nil {
		t.Error("phase 3: want an error")
	}
}

func TestLoadInstruction(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "p1.txt")
	os.WriteFile(good, []byte("Answer inside <answer></answer>.\n\n"), 0o644)
	blank := filepath.Join(dir, "blank.txt")
	os.WriteFile(blank, []byte(" \n"), 0o644)
	tests := []struct {
		name    string
		path    string
		want    string
		wantErr bool
	}{
		{"file", good, "Answer inside <answer></answer>.", false},
		{"blank file", blank, "", true},
		{"missing file", filepath.Join(dir, "nope.txt"), "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LoadInstruction(tc.path)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("got %q, %v; want %q, err %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestPrompt(t *testing.T) {
	tests := []struct{ name, q, instr, want string }{
		{"placeholder", "When is 'x'", "{question}. Think.", "When is 'x'. Think."},
		{"placeholder twice", "Q", "{question} / {question}", "Q / Q"},
		{"no placeholder appends", "When is 'x'?", "Think first.", "When is 'x'? Think first."},
		{"empty instruction", "Q", "", "Q"},
		{"question holding the placeholder text", "{question}", "{question}!", "{question}!"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Prompt(tc.q, tc.instr); got != tc.want {
				t.Errorf("Prompt = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPromptJoinsPunctuation renders every default template with questions that end in
// ".", "?", "!", a full-width "？", a trailing space and nothing: the question keeps its
// own mark, and no "..", "?." or "!." appears where the two meet.
func TestPromptJoinsPunctuation(t *testing.T) {
	questions := []struct{ q, wantStart string }{
		{"When does the man sit down.", "When does the man sit down. First"},
		{"When does the man sit down?", "When does the man sit down? First"},
		{"When does the man sit down!", "When does the man sit down! First"},
		{"他什么时候坐下？", "他什么时候坐下？ First"},
		{"When does the man sit down? ", "When does the man sit down? First"},
		{"When does the man sit down", "When does the man sit down. First"},
	}
	for _, phase := range []Phase{Phase1, Phase2} {
		instr, err := DefaultInstruction(phase)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range questions {
			got := Prompt(c.q, instr)
			if !strings.HasPrefix(got, c.wantStart) {
				t.Errorf("phase %d, %q: prompt starts %q, want %q", phase, c.q, got[:min(len(got), len(c.wantStart)+5)], c.wantStart)
			}
			join := got[:min(len(got), len(c.q)+8)] // the question and where the template goes on
			for _, bad := range []string{"..", "?.", "!.", "？."} {
				if strings.Contains(join, bad) {
					t.Errorf("phase %d, %q: prompt holds %q: %q", phase, c.q, bad, got)
				}
			}
		}
	}
}
