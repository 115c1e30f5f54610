package annotations

import "testing"

func TestExtractQuery(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		want       string
		wantQuoted bool
	}{
		{"simple", "<image>\nthe query 'a dog barks' in the video", "a dog barks", true},
		{"trailing period inside quotes", "query 'a dog barks.' now", "a dog barks", true},
		{"apostrophe inside the query", "query 'the man's hat' here", "the man's hat", true},
		{"apostrophe after the query", "query 'a cat' in the video's timeline", "a cat", true},
		{"quote at the very start and end", "'jumping'", "jumping", true},
		{"no quotes", "<video>\nplaying guitar.", "playing guitar", false},
		{"only an apostrophe", "the man's hat.", "the man's hat", false},
		{"empty quotes", "query '' here", "query '' here", false},
		{"only a placeholder", "<image>\n", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, quoted := ExtractQuery(tc.in)
			if got != tc.want || quoted != tc.wantQuoted {
				t.Errorf("ExtractQuery(%q) = %q, %v; want %q, %v", tc.in, got, quoted, tc.want, tc.wantQuoted)
			}
		})
	}
}

func TestCleanQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{" a person sits. ", "a person sits"},
		{"a person sits...", "a person sits"},
		{"a person sits . .", "a person sits"},
		{"Mr. Smith waves", "Mr. Smith waves"},
		{".", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := CleanQuery(tc.in); got != tc.want {
			t.Errorf("CleanQuery(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
