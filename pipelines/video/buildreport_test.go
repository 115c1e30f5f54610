package video

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/report"
)

// reportTestRow is written row k of the report tests: id "id-kk", k%3+1 segments of
// 1, 2 and 3 s ([0,1], [2,4], [5,8]), 4+k frames half a second apart.
func reportTestRow(k int) Row {
	r := Row{ID: fmt.Sprintf("id-%02d", k), Video: "v.mp4", Task: "tvg", Query: fmt.Sprintf("query <%d>", k), Duration: 12,
		Solution: [][2]float64{{0, 1}, {2, 4}, {5, 8}}[:k%3+1]}
	for f := range 4 + k {
		r.Frames.Paths = append(r.Frames.Paths, fmt.Sprintf("frames/v/%d.jpg", f))
		r.Frames.Timestamps = append(r.Frames.Timestamps, float64(f)/2)
	}
	return r
}

// writeReportPrefix writes the rows (one line each, as given) and one video record
// under a new prefix and returns it with its manifest.
func writeReportPrefix(t *testing.T, lines []string) (string, layout.Manifest) {
	t.Helper()
	prefix := t.TempDir()
	rec, _ := json.Marshal(VideoRecord{Video: "v.mp4", Samples: len(lines), Written: len(lines)})
	files := map[string]string{"data/part-0.jsonl": strings.Join(lines, "\n") + "\n", "videos/part-0.jsonl": string(rec) + "\n"}
	for p, body := range files {
		if err := os.MkdirAll(filepath.Join(prefix, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(prefix, p), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := layout.Manifest{Shards: []layout.Shard{{Output: layout.DataOutput, Path: "data/part-0.jsonl"}, {Output: VideosOutput, Path: "videos/part-0.jsonl"}}}
	return prefix, m
}

// TestBuildReportSample: the per-sample distributions come from at most the sample's
// size of rows, and say so when there are more rows; the examples are the rows with the
// six smallest ids, in id order, however the rows are ordered.
func TestBuildReportSample(t *testing.T) {
	var lines []string
	for k := 19; k >= 0; k-- { // written in descending id order
		b, _ := json.Marshal(reportTestRow(k))
		lines = append(lines, string(b))
	}
	tests := []struct {
		name     string
		sample   int
		wantRows int
		wantNote string // "" = none
	}{
		{"every row", 100, 20, ""},
		{"a sample of 5 rows", 5, 5, "from a uniform sample of 5 of the job's 20 written rows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prefix, m := writeReportPrefix(t, lines)
			rep, err := buildReport(context.Background(), prefix, m, report.Run{}, tc.sample)
			if err != nil {
				t.Fatal(err)
			}
			segs, durs, frames, texts, timelines := reportBlocks(rep)
			if len(segs) != tc.wantRows || len(frames) != tc.wantRows {
				t.Fatalf("segments per sample %v, frames per sample %v: want %d rows", segs, frames, tc.wantRows)
			}
			var nSegs float64
			for i, n := range segs {
				nSegs += n
				if n < 1 || n > 3 || frames[i] < 4 || frames[i] > 23 {
					t.Errorf("row %d: %v segments, %v frames: not a written row", i, n, frames[i])
				}
			}
			if float64(len(durs)) != nSegs {
				t.Errorf("%d segment durations, want %v (the sampled rows' segments)", len(durs), nSegs)
			}
			if got := strings.Contains(texts, "uniform sample"); got != (tc.wantNote != "") || !strings.Contains(texts, tc.wantNote) {
				t.Errorf("sample note present = %v, want %q in %q", got, tc.wantNote, texts)
			}
			var want []report.Timeline
			for k := range 6 {
				r := reportTestRow(k)
				want = append(want, report.Timeline{Title: r.Query, DurationSec: 12, Segments: r.Solution, FrameTimesSec: r.Frames.Timestamps})
			}
			if !reflect.DeepEqual(timelines, want) {
				t.Errorf("examples = %+v\nwant %+v", timelines, want)
			}
		})
	}
}

// reportBlocks takes from a video build report the values of its per-sample
// histograms, its paragraphs, and its example timelines (ID and notes cleared).
func reportBlocks(rep *report.Report) (segs, durs, frames []float64, texts string, timelines []report.Timeline) {
	for _, s := range rep.Sections {
		for _, b := range s.Blocks {
			switch b := b.(type) {
			case *report.Histogram:
				switch b.ID {
				case "segments-per-sample":
					segs = b.Values
				case "segment-durations":
					durs = b.Values
				case "frames-per-sample":
					frames = b.Values
				}
			case report.Text:
				texts += string(b) + "\n"
			case *report.Timeline:
				tl := *b
				tl.ID, tl.Notes = "", nil
				timelines = append(timelines, tl)
			}
		}
	}
	return segs, durs, frames, texts, timelines
}

// TestBuildReportBadRow: a written row that is not JSON is an error naming its shard,
// not a panic or a row silently left out.
func TestBuildReportBadRow(t *testing.T) {
	good, _ := json.Marshal(reportTestRow(1))
	prefix, m := writeReportPrefix(t, []string{string(good), `{"id": "x", "solution": [[1`})
	_, err := buildReport(context.Background(), prefix, m, report.Run{}, 10)
	if err == nil || !strings.Contains(err.Error(), "data/part-0.jsonl") {
		t.Errorf("err = %v, want an error naming data/part-0.jsonl", err)
	}
}
