package video

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/internal/annotations"
)

func TestFirstLines(t *testing.T) {
	long := strings.Repeat("x", 100)
	in := "a\n\n  \r\n" + long + "\nb\r\nc\nd"
	type got struct {
		N    int64
		Text string
	}
	for _, tc := range []struct {
		n    int
		want []got
	}{
		{10, []got{{1, "a"}, {5, "b"}, {6, "c"}, {7, "d"}}},
		{2, []got{{1, "a"}, {5, "b"}}},
	} {
		var lines []got
		// bufio's smallest buffer is 16 bytes: the 100-byte line spans several reads.
		if err := firstLines(strings.NewReader(in), tc.n, 50, func(n int64, s string) { lines = append(lines, got{n, s}) }); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(lines, tc.want) {
			t.Errorf("firstLines(n=%d) = %v, want %v", tc.n, lines, tc.want)
		}
	}
}

func TestPreflight(t *testing.T) {
	ctx := context.Background()
	testdata := filepath.Join("..", "..", "internal", "annotations", "testdata")
	museg, _ := filepath.Abs(filepath.Join(testdata, "museg_demo.jsonl"))
	charades, _ := filepath.Abs(filepath.Join(testdata, "charades_demo.txt"))
	et, _ := filepath.Abs(filepath.Join(testdata, "et_instruct_demo.json"))

	base := t.TempDir()
	videos := filepath.Join(base, "videos")
	empty := filepath.Join(base, "empty")
	other := filepath.Join(base, "other") // holds files, none the annotations name
	for _, d := range []string{videos, empty, other} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(videos, "demo_c.webm"), filepath.Join(videos, "demo_a.mp4"), filepath.Join(other, "x.mp4"), filepath.Join(base, "demo_a.mp4")} {
		if err := os.WriteFile(f, []byte("not opened"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Annotations that name only a video outside the root, which exists.
	escape := filepath.Join(base, "escape.txt")
	if err := os.WriteFile(escape, []byte("../demo_a 0 1##a door\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		o          BuildOptions
		want       string // "" = passes; else a part of the one-line error
		wantPrefix string
	}{
		{"museg", BuildOptions{Annotations: museg, Format: annotations.FormatMuseg, Videos: videos}, "", ""},
		{"charades", BuildOptions{Annotations: charades, Format: annotations.FormatCharades, Videos: videos}, "", ""},
		{"etinstruct", BuildOptions{Annotations: et, Format: annotations.FormatETInstruct, Videos: videos}, "", ""},
		{"charades read as museg", BuildOptions{Annotations: charades, Format: annotations.FormatMuseg, Videos: videos}, "parses as museg", "--format museg"},
		{"museg read as charades", BuildOptions{Annotations: museg, Format: annotations.FormatCharades, Videos: videos}, "parses as charades", "--format charades"},
		{"museg read as etinstruct", BuildOptions{Annotations: museg, Format: annotations.FormatETInstruct, Videos: videos}, "parses as etinstruct", "--format etinstruct"},
		{"et read as museg", BuildOptions{Annotations: et, Format: annotations.FormatMuseg, Videos: videos}, "parses as museg", "--format museg"},
		{"missing videos", BuildOptions{Annotations: museg, Format: annotations.FormatMuseg, Videos: filepath.Join(base, "nope")}, "no such folder", "--videos"},
		{"videos is a file", BuildOptions{Annotations: museg, Format: annotations.FormatMuseg, Videos: museg}, "not a folder", "--videos"},
		{"empty videos", BuildOptions{Annotations: museg, Format: annotations.FormatMuseg, Videos: empty}, "empty", "--videos"},
		{"wrong videos", BuildOptions{Annotations: museg, Format: annotations.FormatMuseg, Videos: other}, "holds none of", "--videos"},
		{"only outside", BuildOptions{Annotations: escape, Format: annotations.FormatCharades, Videos: other}, "outside --videos", "--videos"},
		{"outside allowed", BuildOptions{Annotations: escape, Format: annotations.FormatCharades, Videos: other, AllowOutsideVideos: true}, "", ""},
		{"missing annotations", BuildOptions{Annotations: filepath.Join(base, "none.jsonl"), Format: annotations.FormatMuseg, Videos: videos}, "no such file", "--annotations"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.o.OutputFormat = "jsonl" // the formats are checked by TestParseFormats and the runner's tests
			err := Preflight(ctx, tc.o)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Preflight: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Preflight passed, want an error containing %q", tc.want)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) || !strings.HasPrefix(msg, tc.wantPrefix) || strings.Contains(msg, "\n") {
				t.Errorf("Preflight = %q, want one line starting %q and containing %q", msg, tc.wantPrefix, tc.want)
			}
		})
	}
}
