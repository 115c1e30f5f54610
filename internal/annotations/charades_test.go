package annotations

import (
	"errors"
	"strings"
	"testing"
)

func TestParseCharadesLine(t *testing.T) {
	tests := []struct {
		name      string
		line      string
		opts      Options
		wantVideo string
		wantQuery string
		wantSeg   [2]float64
		wantErr   error // ErrMalformed, or nil
		filtered  bool
	}{
		{name: "spec example", line: "AO8RW 0.0 6.9##a person is putting a book on a shelf.",
			wantVideo: "AO8RW.mp4", wantQuery: "a person is putting a book on a shelf", wantSeg: [2]float64{0, 6.9}},
		{name: "crlf and no period", line: "X1 1.5 3##someone laughs\r\n",
			wantVideo: "X1.mp4", wantQuery: "someone laughs", wantSeg: [2]float64{1.5, 3}},
		{name: "custom extension without dot and video dir", line: "V 2 4##a cat sleeps.", opts: Options{CharadesExt: "webm", VideoDir: "videos/charades"},
			wantVideo: "videos/charades/V.webm", wantQuery: "a cat sleeps", wantSeg: [2]float64{2, 4}},
		{name: "reversed times are parsed, not judged", line: "V 9 3##x",
			wantVideo: "V.mp4", wantQuery: "x", wantSeg: [2]float64{9, 3}},
		{name: "bom", line: "\ufeffV 0 1##q", wantVideo: "V.mp4", wantQuery: "q", wantSeg: [2]float64{0, 1}},
		{name: "blank line", line: "   \r\n", filtered: true},
		{name: "missing ##", line: "V 0.0 6.9 a person sits", wantErr: ErrMalformed},
		{name: "single #", line: "V 0.0 6.9#a person sits", wantErr: ErrMalformed},
		{name: "non-numeric start", line: "V zero 6.9##a person sits", wantErr: ErrMalformed},
		{name: "non-numeric end", line: "V 0.0 6,9##a person sits", wantErr: ErrMalformed},
		{name: "NaN time", line: "V NaN 6.9##a person sits", wantErr: ErrMalformed},
		{name: "infinite time", line: "V 0 Inf##a person sits", wantErr: ErrMalformed},
		{name: "too few fields", line: "V 6.9##a person sits", wantErr: ErrMalformed},
		{name: "too many fields", line: "V 0 1 2##a person sits", wantErr: ErrMalformed},
		{name: "empty sentence", line: "V 0 1##  .", wantErr: ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseCharadesLine(tc.line, LineAt("c.txt", 3), tc.opts)
			if tc.filtered {
				if f, ok := IsFiltered(err); !ok || f.Reason != FilterBlankLine {
					t.Fatalf("err = %v, want blank-line filter", err)
				}
				return
			}
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), "c.txt:3") {
					t.Errorf("error %q does not name the location", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if s.Video != tc.wantVideo || s.Query != tc.wantQuery || s.Task != TaskTVG || s.Format != FormatCharades {
				t.Errorf("got video %q query %q task %q format %q", s.Video, s.Query, s.Task, s.Format)
			}
			if len(s.Solution) != 1 || s.Solution[0] != tc.wantSeg {
				t.Errorf("solution = %v, want [%v]", s.Solution, tc.wantSeg)
			}
			if s.Duration != nil {
				t.Errorf("duration = %v, want unknown", *s.Duration)
			}
			if !strings.Contains(s.Question, "'"+tc.wantQuery+"'") {
				t.Errorf("question %q does not quote the query", s.Question)
			}
			if s.Origin != "c.txt:3" || s.Key == "" || len(s.Raw) == 0 {
				t.Errorf("origin %q key %q raw %q", s.Origin, s.Key, s.Raw)
			}
		})
	}
}
