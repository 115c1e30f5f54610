package export

import (
	"slices"
	"strings"
	"testing"
)

func TestParseFormats(t *testing.T) {
	tests := []struct {
		name, in string
		kind     Kind
		want     []Format
		err      string
	}{
		{"both", "both", Video, []Format{JSONL, Parquet}, ""},
		{"jsonl alone", "jsonl", Writing, []Format{JSONL}, ""},
		{"jsonl first, repeats dropped, spaces and case", " MUSEG, parquet ,jsonl,museg", Video, []Format{JSONL, Museg, Parquet}, ""},
		{"writingrl", "jsonl,writingrl,both", Writing, []Format{JSONL, WritingRL, Parquet}, ""},
		{"no jsonl", "parquet", Video, nil, "jsonl is always written"},
		{"museg on writing", "jsonl,museg", Writing, nil, "video build only"},
		{"writingrl on video", "both,writingrl", Video, nil, "writing select only"},
		{"unknown", "jsonl,csv", Video, nil, `unknown format "csv"`},
		{"empty", "", Video, nil, "empty format name"},
		{"trailing comma", "jsonl,", Writing, nil, "empty format name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseFormats(tc.in, tc.kind)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("ParseFormats(%q) = %v, %v; want one line with %q", tc.in, got, err, tc.err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("ParseFormats(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestPositionIndexUnique(t *testing.T) {
	for _, shards := range []int{0, 1, 3, 7} {
		seen := map[int64]bool{}
		n := max(shards, 1)
		for shard := 0; shard < n; shard++ {
			for r := 0; r < 5; r++ {
				i := Position{Shard: shard, Shards: shards}.Index(r)
				if seen[i] || i < 0 || i >= int64(5*n) {
					t.Fatalf("%d shards: shard %d row %d has index %d (repeated or outside 0..%d)", shards, shard, r, i, 5*n-1)
				}
				seen[i] = true
			}
		}
	}
}

func TestPromptTokens(t *testing.T) {
	tests := []struct {
		name          string
		text          string
		frames, w, h  int
		minTokens     int64 // frames' tokens + text bytes, counted by hand
		maxOverTokens int64
	}{
		{"448 frames of 364x644", "When?", 448, 644, 364, 224*23*13 + 5, 150},
		{"odd frame count pads to a pair", "", 3, 28, 28, 2, 150},
		{"multibyte text", "どこ？", 2, 56, 28, 2 + 9, 150},
		{"no frames", "abc", 0, 28, 28, 3, 150},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := PromptTokens(tc.text, tc.frames, tc.w, tc.h)
			if got < tc.minTokens || got > tc.minTokens+tc.maxOverTokens {
				t.Errorf("PromptTokens = %d, want %d plus at most %d of chat template", got, tc.minTokens, tc.maxOverTokens)
			}
		})
	}
}
