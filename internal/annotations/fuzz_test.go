package annotations

import (
	"errors"
	"io"
	"math"
	"os"
	"strings"
	"testing"
)

// checkParsed asserts what every parser guarantees: an error is a
// *ParseError or *Filtered, and a sample has a key, a grounding task, a video
// and finite times.
func checkParsed(t *testing.T, s Sample, err error) {
	t.Helper()
	if err != nil {
		if _, ok := IsFiltered(err); !ok && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error of unexpected kind: %v", err)
		}
		return
	}
	if s.Key == "" || !s.Task.Valid() || s.Video == "" || s.Question == "" {
		t.Fatalf("incomplete sample %+v", s)
	}
	for _, g := range s.Solution {
		if math.IsNaN(g[0]) || math.IsNaN(g[1]) || math.IsInf(g[0], 0) || math.IsInf(g[1], 0) {
			t.Fatalf("non-finite segment %v", g)
		}
	}
	if _, err := Validate(s, 10, DefaultValidateOptions()); err != nil {
		var rej *Rejection
		if !errors.As(err, &rej) {
			t.Fatalf("validate returned %v", err)
		}
	}
}

func seedLines(f *testing.F, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		f.Add(l)
	}
}

func FuzzParseCharadesLine(f *testing.F) {
	seedLines(f, "testdata/charades_demo.txt")
	f.Add("V 1e308 -1e308##'x'.")
	f.Fuzz(func(t *testing.T, line string) {
		s, err := ParseCharadesLine(line, LineAt("f", 1), Options{})
		checkParsed(t, s, err)
	})
}

func FuzzParseMusegLine(f *testing.F) {
	seedLines(f, "testdata/museg_demo.jsonl")
	f.Add(`{"problem":"'q'","solution":[[1e400,2]],"video":"v","task":"tvg"}`)
	f.Fuzz(func(t *testing.T, line string) {
		s, err := ParseMusegLine(line, LineAt("f", 1), Options{})
		checkParsed(t, s, err)
	})
}

func FuzzParseETElement(f *testing.F) {
	f.Add(`{"task":"tvg","video":"v.mp4","duration":3,"tgt":[1,2],"conversations":[{"from":"human","value":"<image>\n'q'"}]}`)
	f.Add(`{"task":"tal","video":"v.mp4","tgt":[1,2,3,4],"conversations":[{"from":"human","value":"x's 'y' z'"}]}`)
	f.Add(`{"task":"slc"}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := ParseETElement([]byte(raw), ElementAt("f", 0), Options{})
		checkParsed(t, s, err)
	})
}

func FuzzETDecoder(f *testing.F) {
	b, err := os.ReadFile("testdata/et_instruct_demo.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add(`[1,{"a":[]}]`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, in string) {
		d := NewETDecoder(strings.NewReader(in), "f")
		for n := 0; ; n++ {
			_, raw, err := d.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrEmptyInput) {
					t.Fatalf("error of unexpected kind: %v", err)
				}
				return
			}
			if n > len(in) {
				t.Fatalf("more elements than input bytes")
			}
			s, err := ParseETElement(raw, ElementAt("f", n), Options{})
			checkParsed(t, s, err)
		}
	})
}
