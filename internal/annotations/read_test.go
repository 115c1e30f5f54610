package annotations

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// demoDurations are the durations (seconds) the README demo gives its videos.
var demoDurations = map[string]float64{"demo_a.mp4": 12, "demo_b.mkv": 15, "demo_c.webm": 10, "demo_d.avi": 18}

// outcome summarises one record: "ok", "ok+<fix>…", "filtered:<reason>",
// "malformed" or "rejected:<rule>".
func outcome(t *testing.T, s Sample, err error) string {
	t.Helper()
	if f, ok := IsFiltered(err); ok {
		return "filtered:" + f.Reason
	}
	if errors.Is(err, ErrMalformed) {
		return "malformed"
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	probed, ok := demoDurations[s.Video]
	if !ok {
		t.Fatalf("sample names unknown video %q", s.Video)
	}
	v, err := Validate(s, probed, DefaultValidateOptions())
	var rej *Rejection
	if errors.As(err, &rej) {
		return "rejected:" + string(rej.Rule)
	}
	out := "ok"
	for _, f := range v.Fixes {
		out += "+" + FixRule(f)
	}
	return out
}

func TestReadDemoFiles(t *testing.T) {
	tests := []struct {
		file   string
		format Format
		want   []string
	}{
		{"testdata/charades_demo.txt", FormatCharades, []string{
			"ok", "ok", "ok+end_beyond_duration", "rejected:zero_length_segment",
			"rejected:reversed_segment", "malformed", "malformed", "ok"}},
		{"testdata/et_instruct_demo.json", FormatETInstruct, []string{
			"ok", "ok", "filtered:non_grounding_task", "ok",
			"ok+query_fallback+duration_mismatch", "rejected:end_beyond_duration"}},
		{"testdata/museg_demo.jsonl", FormatMuseg, []string{
			"ok", "ok", "rejected:overlapping_segments", "ok+end_beyond_duration",
			"rejected:reversed_segment", "rejected:end_beyond_duration", "ok+unsorted_segments", "ok"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var got []string
			for s, err := range Read(f, tc.file, tc.format, Options{Seed: 1}) {
				got = append(got, outcome(t, s, err))
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("outcomes\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestReadEmptyAndBroken(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		format  Format
		wantErr error
		records int // records yielded before the final error
	}{
		{"empty charades", "", FormatCharades, ErrEmptyInput, 0},
		{"blank-line charades", "\n \n", FormatCharades, ErrEmptyInput, 2},
		{"empty jsonl", "", FormatMuseg, ErrEmptyInput, 0},
		{"empty et", "", FormatETInstruct, ErrEmptyInput, 0},
		{"et not a list", `{"task":"tvg"}`, FormatETInstruct, ErrMalformed, 0},
		{"et truncated", `[{"task":"slc"},`, FormatETInstruct, ErrMalformed, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var errs []error
			for _, err := range Read(strings.NewReader(tc.in), "x", tc.format, Options{}) {
				errs = append(errs, err)
			}
			if len(errs) != tc.records+1 {
				t.Fatalf("%d results, want %d: %v", len(errs), tc.records+1, errs)
			}
			if last := errs[len(errs)-1]; !errors.Is(last, tc.wantErr) {
				t.Errorf("final error %v, want %v", last, tc.wantErr)
			}
		})
	}
	for range Read(strings.NewReader("x"), "x", "csv", Options{}) {
		return // an unknown format yields its error
	}
	t.Error("unknown format yielded nothing")
}

func TestReadLongLine(t *testing.T) {
	line := "V 0 1##" + strings.Repeat("a", 200000)
	for s, err := range Read(strings.NewReader(line), "x", FormatCharades, Options{}) {
		if err != nil || len(s.Query) != 200000 {
			t.Fatalf("long line: err %v, query length %d", err, len(s.Query))
		}
	}
}
