package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"image/jpeg"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/media/mediatest"
)

// builtRow is the part of a video build row the tests check, decoded independently of
// the job's own Row type.
type builtRow struct {
	ID       string       `json:"id"`
	Video    string       `json:"video"`
	Task     string       `json:"task"`
	Question string       `json:"question"`
	Prompt   string       `json:"prompt"`
	Solution [][2]float64 `json:"solution"`
	Phase    int          `json:"phase"`
	Duration float64      `json:"duration"`
	Frames   struct {
		Paths      []string  `json:"paths"`
		Timestamps []float64 `json:"timestamps"`
		FPS        float64   `json:"fps"`
		Width      int       `json:"width"`
		Height     int       `json:"height"`
	} `json:"frames"`
	Reward struct {
		Phase          int  `json:"phase"`
		TimestampCheck bool `json:"timestamp_check"`
	} `json:"reward"`
	Source json.RawMessage `json:"source"`
	Fixes  []string        `json:"fixes"`
}

// readJSONL reads every row of PREFIX/<out>/*.jsonl.
func readJSONL[T any](t *testing.T, prefix, out string) []T {
	t.Helper()
	ctx := context.Background()
	files, err := blob.List(ctx, blob.Join(prefix, out, "*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []T
	for _, f := range files {
		b, err := blob.ReadFile(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if line == "" {
				continue
			}
			var r T
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("%s: %v: %s", f, err, line)
			}
			rows = append(rows, r)
		}
	}
	return rows
}

type deadLetter struct {
	File   string `json:"file"`
	Line   int64  `json:"line"`
	Stage  string `json:"stage"`
	Reason string `json:"reason"`
}

// expectedFrames is what qwen-vl-utils 0.0.10 would sample from a video, re-derived here
// from ffprobe's view of the file (not from package sampling).
type expectedFrames struct {
	indices       []int
	timestamps    []float64
	fps           float64 // sample fps
	width, height int
	durationSec   float64
}

func evenFloor(x float64) int { return int(math.Floor(x/2)) * 2 }

// qwenExpect computes the expected frames of a video of total frames at videoFPS whose
// displayed size is w x h, with MUSEG's settings (fps 2, 448 frames, min pixels 12544,
// total pixels 2809856).
func qwenExpect(total int, videoFPS float64, w, h int) (n int, idx []int, fw, fh int) {
	nf := float64(total) / videoFPS * 2
	nf = math.Min(math.Max(nf, 4), 448)
	nf = math.Min(nf, float64(total))
	n = evenFloor(nf)
	for i := 0; i < n; i++ {
		idx = append(idx, int(math.RoundToEven(float64(i)*float64(total-1)/float64(n-1))))
	}
	maxPixels := math.Max(math.Min(768*28*28, 2809856/float64(n)*2), math.Floor(12544*1.05))
	round28 := func(x float64) int { return int(math.RoundToEven(x/28)) * 28 }
	fh, fw = max(28, round28(float64(h))), max(28, round28(float64(w)))
	if float64(fh*fw) > maxPixels {
		beta := math.Sqrt(float64(h*w) / maxPixels)
		fh, fw = int(math.Floor(float64(h)/beta/28))*28, int(math.Floor(float64(w)/beta/28))*28
	} else if fh*fw < 12544 {
		beta := math.Sqrt(12544 / float64(h*w))
		fh, fw = int(math.Ceil(float64(h)*beta/28))*28, int(math.Ceil(float64(w)*beta/28))*28
	}
	return n, idx, fw, fh
}

func expectFrames(t *testing.T, path string, dispW, dispH int) expectedFrames {
	t.Helper()
	pts := mediatest.FramePTS(t, path)
	sort.Float64s(pts)
	num, den, _ := strings.Cut(mediatest.StreamField(t, path, "avg_frame_rate"), "/")
	a, _ := strconv.ParseFloat(num, 64)
	b, _ := strconv.ParseFloat(den, 64)
	fps := a / b
	n, idx, w, h := qwenExpect(len(pts), fps, dispW, dispH)
	e := expectedFrames{indices: idx, fps: float64(n) / float64(len(pts)) * fps, width: w, height: h, durationSec: float64(len(pts)) / fps}
	for _, i := range idx {
		e.timestamps = append(e.timestamps, pts[i]-pts[0])
	}
	return e
}

// checkRowFrames compares a row's frames with the expectation and the JPEG files.
func checkRowFrames(t *testing.T, prefix string, r builtRow, e expectedFrames) {
	t.Helper()
	f := r.Frames
	if len(f.Paths) != len(e.indices) || len(f.Timestamps) != len(e.indices) {
		t.Fatalf("%s: %d paths, %d timestamps, want %d frames", r.Video, len(f.Paths), len(f.Timestamps), len(e.indices))
	}
	if f.Width != e.width || f.Height != e.height {
		t.Errorf("%s: size %dx%d, want %dx%d", r.Video, f.Width, f.Height, e.width, e.height)
	}
	if math.Abs(f.FPS-e.fps) > 1e-9 {
		t.Errorf("%s: fps %v, want %v", r.Video, f.FPS, e.fps)
	}
	if math.Abs(r.Duration-e.durationSec) > 1e-6 {
		t.Errorf("%s: duration %v, want %v", r.Video, r.Duration, e.durationSec)
	}
	for i, p := range f.Paths {
		if want := fmt.Sprintf("%06d.jpg", e.indices[i]); !strings.HasPrefix(p, "frames/") || !strings.HasSuffix(p, "/"+want) {
			t.Errorf("%s: frame %d path %s, want frames/<key>/%s", r.Video, i, p, want)
		}
		if math.Abs(f.Timestamps[i]-e.timestamps[i]) > 1e-3 {
			t.Errorf("%s: frame %d at %v s, want %v", r.Video, i, f.Timestamps[i], e.timestamps[i])
		}
	}
	for _, i := range []int{0, len(f.Paths) - 1} {
		rc, err := blob.Open(context.Background(), blob.Join(prefix, f.Paths[i]))
		if err != nil {
			t.Fatalf("%s: frame %d: %v", r.Video, i, err)
		}
		cfg, err := jpeg.DecodeConfig(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: frame %d is not a JPEG: %v", r.Video, i, err)
		}
		if cfg.Width != e.width || cfg.Height != e.height {
			t.Errorf("%s: frame %d JPEG is %dx%d, want %dx%d", r.Video, i, cfg.Width, cfg.Height, e.width, e.height)
		}
	}
}

func checkPhase(t *testing.T, r builtRow) {
	t.Helper()
	if r.Phase != 1 && r.Phase != 2 || r.Reward.Phase != r.Phase || r.Reward.TimestampCheck != (r.Phase == 1) {
		t.Errorf("%s: phase %d with reward %+v", r.ID, r.Phase, r.Reward)
	}
	if !strings.Contains(r.Prompt, r.Question) || len(r.Prompt) <= len(r.Question) || !strings.Contains(r.Prompt, "<answer>") {
		t.Errorf("%s: prompt %q does not hold the question and an instruction", r.ID, r.Prompt)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func checkCountsOf(t *testing.T, name string, got, want map[string]int64) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: counts[%s] = %d, want %d (all: %v)", name, k, got[k], v, got)
		}
	}
	for k, v := range got {
		if strings.HasPrefix(k, "rule.") {
			if _, ok := want[k]; !ok {
				t.Errorf("%s: unexpected count %s = %d", name, k, v)
			}
		}
	}
}

// checkNoOrphanFrames fails when PREFIX/frames holds a folder no row points into: the
// frames of a video that failed partway must not stay behind.
func checkNoOrphanFrames(t *testing.T, prefix string, rows []builtRow) {
	t.Helper()
	used := map[string]bool{}
	for _, r := range rows {
		for _, p := range r.Frames.Paths {
			used[filepath.Dir(p)] = true
		}
	}
	dirs, err := os.ReadDir(filepath.Join(prefix, "frames"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !used["frames/"+d.Name()] {
			t.Errorf("frames/%s: no row uses these frames", d.Name())
		}
	}
}

func TestVideoBuildLocal(t *testing.T) {
	h264 := mediatest.H264BFrames(t) // 90 frames, 30 fps: 3 s
	hevc := mediatest.HEVC(t)        // 50 frames, 25 fps: 2 s
	vp9 := mediatest.VP9(t)          // 48 frames, 24 fps: 2 s
	mpeg4 := mediatest.MPEG4(t)      // 50 frames, 25 fps: 2 s
	rotated := mediatest.Rotated(t)  // 30 frames, shown 240x320
	single := mediatest.Single(t)    // 1 frame: cannot be sampled
	videos := t.TempDir()
	copyFile(t, h264.Path, filepath.Join(videos, "h264.mp4"))
	copyFile(t, mediatest.Garbage(t, 8192), filepath.Join(videos, "garbage.mp4"))
	copyFile(t, mediatest.AudioOnly(t), filepath.Join(videos, "audio.mp4"))
	copyFile(t, hevc.Path, filepath.Join(videos, "sub dir", "hevc.mkv"))
	copyFile(t, vp9.Path, filepath.Join(videos, "vp9.webm"))
	copyFile(t, rotated.Path, filepath.Join(videos, "rotated.mp4"))
	copyFile(t, single.Path, filepath.Join(videos, "single.mp4"))
	copyFile(t, mpeg4.Path, filepath.Join(videos, "mpeg4.avi"))
	// Probes fine, but the decoder loses the frames after the scrambled bytes.
	copyFile(t, mediatest.Scramble(t, h264.Path, 0.5, 20000), filepath.Join(videos, "damaged.mp4"))
	ann := t.TempDir()

	var tooMany []string
	for i := 0; i < 11; i++ {
		tooMany = append(tooMany, fmt.Sprintf("[%.2f, %.2f]", 0.1*float64(i), 0.1*float64(i)+0.05))
	}
	tests := []struct {
		name, format, file, text string
		counts                   map[string]int64
		rows                     map[string][][2]float64 // question substring -> solution
		fixes                    map[string]string       // question substring -> a fix rule it must carry
		dead                     []string                // reasons, each in one dead letter
	}{
		{
			name: "charades", format: "charades", file: "charades.txt",
			text: "h264 0.0 1.5##a person opens a door.\n" +
				"h264 1.0 3.5##the person waves.\n" + // 0.5 s over 3 s: clipped
				"h264 1.0 5.0##a person sits.\n" + // 2 s over: rejected
				"h264 2.0 1.0##a person stands.\n" +
				"h264 1.0 1.0##a person blinks.\n" +
				"garbage 0 1##a person jumps.\n" +
				"audio 0 1##a person sings.\n" +
				"missing 0 1##a person runs.\n" +
				"h264 0.5 1 no hashes here\n" +
				"h264 0.0 1.5##a person opens a door.\n" + // exact repeat of line 1
				"h264 0.00 1.50##a person opens a door\n" + // the same example written differently
				"h264 1.0 3.2##the person waves.\n" + // clipped to line 2's segment
				"damaged 0.0 1.0##a person falls.\n",
			counts: map[string]int64{"read": 13, "written": 2, "filtered": 0, "dead_lettered": 11,
				"rule.end_beyond_duration.fixed": 1, "rule.end_beyond_duration.rejected": 1, "rule.reversed_segment.rejected": 1,
				"rule.zero_length_segment.rejected": 1, "rule.video_invalid.rejected": 1, "rule.video_no_video.rejected": 1,
				"rule.video_not_found.rejected": 1, "rule.duplicate.rejected": 3, "rule.video_corrupt.rejected": 1},
			rows:  map[string][][2]float64{"a person opens a door": {{0, 1.5}}, "the person waves": {{1, 3}}},
			fixes: map[string]string{"the person waves": "end_beyond_duration"},
			dead: []string{"end_beyond_duration", "reversed_segment", "zero_length_segment", "video_invalid", "video_no_video", "video_not_found", "charades_sta",
				"duplicate: same video, task, query and segments as " + filepath.Join(ann, "charades.txt") + ":1", "video_corrupt"},
		},
		{
			name: "museg", format: "museg", file: "museg.jsonl",
			text: `{"idx": 0, "problem": "Find the moment of 'a cat sleeps' in the video", "solution": [[0.2, 1.0]], "video": "sub dir/hevc.mkv", "duration": 2.0, "task": "tvg"}` + "\n" +
				`{"idx": 1, "problem": "Find every instance of 'clapping' in the video", "solution": [[1.2, 1.8], [0.1, 0.5]], "video": "sub dir/hevc.mkv", "duration": 2.0, "task": "tal"}` + "\n" +
				`{"idx": 2, "problem": "Find every instance of 'waving' in the video", "solution": [[0.1, 1.0], [0.5, 1.5]], "video": "sub dir/hevc.mkv", "duration": 2.0, "task": "tal"}` + "\n" +
				`{"idx": 3, "problem": "Find every instance of 'blinking' in the video", "solution": [` + strings.Join(tooMany, ", ") + `], "video": "vp9.webm", "duration": 2.0, "task": "tal"}` + "\n" +
				`{"idx": 4, "problem": "Find the moment of 'a ball bounces' in the video", "solution": [[0.5, 1.5]], "video": "vp9.webm", "duration": 5.0, "task": "tvg"}` + "\n" +
				`{"idx": 5, "problem": "Find the moment of 'a box turns' in the video", "solution": [[0.1, 0.5]], "video": "rotated.mp4", "task": "tvg"}` + "\n" +
				`{"idx": 6, "problem": "Find the moment of 'a flash' in the video", "solution": [[0.0, 0.02]], "video": "single.mp4", "task": "tvg"}` + "\n",
			counts: map[string]int64{"read": 7, "written": 4, "filtered": 0, "dead_lettered": 3,
				"rule.unsorted_segments.fixed": 1, "rule.overlapping_segments.rejected": 1, "rule.too_many_segments.rejected": 1,
				"rule.duration_mismatch.fixed": 1, "rule.video_unsampleable.rejected": 1},
			rows:  map[string][][2]float64{"a cat sleeps": {{0.2, 1}}, "clapping": {{0.1, 0.5}, {1.2, 1.8}}, "a ball bounces": {{0.5, 1.5}}, "a box turns": {{0.1, 0.5}}},
			fixes: map[string]string{"clapping": "unsorted_segments", "a ball bounces": "duration_mismatch"},
			dead:  []string{"overlapping_segments", "too_many_segments", "video_unsampleable"},
		},
		{
			name: "etinstruct", format: "etinstruct", file: "et.json",
			text: `[{"task": "tvg", "source": "didemo", "video": "mpeg4.avi", "duration": 2.0, "tgt": [0.5, 1.5], "conversations": [{"from": "human", "value": "<image>\nLocalize 'a red light blinks' in the video."}, {"from": "gpt", "value": "0.5 - 1.5"}]},
 {"task": "tal", "source": "hacs", "video": "mpeg4.avi", "duration": 2.0, "tgt": [0.1, 0.5, 1.0, 1.9], "conversations": [{"from": "human", "value": "<image>\nFind all the actions of 'jumping' in the video."}, {"from": "gpt", "value": "..."}]},
 {"task": "slc", "source": "x", "video": "mpeg4.avi", "duration": 2.0, "tgt": [0.1, 0.5], "conversations": [{"from": "human", "value": "<image>\ndescribe"}]},
 42,
 {"task": "tvg", "source": "didemo", "video": "missing.avi", "duration": 2.0, "tgt": [0.5, 1.5], "conversations": [{"from": "human", "value": "<image>\nLocalize 'a door shuts' in the video."}]}]`,
			counts: map[string]int64{"read": 5, "written": 2, "filtered": 1, "dead_lettered": 2, "filtered.non_grounding_task": 1,
				"rule.video_not_found.rejected": 1},
			rows: map[string][][2]float64{"a red light blinks": {{0.5, 1.5}}, "jumping": {{0.1, 0.5}, {1, 1.9}}},
			dead: []string{"video_not_found", "et_instruct"},
		},
	}
	paths := map[string]mediatest.Video{"h264.mp4": h264, "sub dir/hevc.mkv": hevc, "vp9.webm": vp9, "rotated.mp4": rotated, "mpeg4.avi": mpeg4}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prefix := filepath.Join(t.TempDir(), "out")
			out, err := runner(t, nil, "video", "build", "--annotations", writeFile(t, filepath.Join(ann, tc.file), tc.text),
				"--format", tc.format, "--videos", videos, "--output", prefix, "--shards", "2",
				"--max-dead-letter-fraction", "1") // these inputs are mostly bad on purpose
			if err != nil {
				t.Fatalf("video build: %v\n%s", err, out)
			}
			m := readManifest(t, prefix)
			checkCountsOf(t, tc.name, m.Counts, tc.counts)
			rows := readJSONL[builtRow](t, prefix, "data")
			if len(rows) != len(tc.rows) {
				t.Fatalf("%d rows, want %d", len(rows), len(tc.rows))
			}
			expect := map[string]expectedFrames{}
			for _, r := range rows {
				var q string
				for k := range tc.rows {
					if strings.Contains(r.Question, k) {
						q = k
					}
				}
				if q == "" {
					t.Errorf("unexpected row %s: %s", r.ID, r.Question)
					continue
				}
				if fmt.Sprint(r.Solution) != fmt.Sprint(tc.rows[q]) {
					t.Errorf("%q: solution %v, want %v", q, r.Solution, tc.rows[q])
				}
				if want, ok := tc.fixes[q]; ok && !strings.Contains(strings.Join(r.Fixes, "|"), want) {
					t.Errorf("%q: fixes %v, want one for %s", q, r.Fixes, want)
				}
				if len(r.Source) == 0 {
					t.Errorf("%q: no source annotation", q)
				}
				checkPhase(t, r)
				v := paths[r.Video]
				e, ok := expect[r.Video]
				if !ok {
					w, h := v.Width, v.Height
					if v.RotationCW%180 == 90 {
						w, h = h, w
					}
					e = expectFrames(t, v.Path, w, h)
					expect[r.Video] = e
				}
				checkRowFrames(t, prefix, r, e)
			}
			checkNoOrphanFrames(t, prefix, rows)
			dls := readJSONL[deadLetter](t, prefix, "deadletter")
			for _, want := range tc.dead {
				found := false
				for _, d := range dls {
					found = found || strings.Contains(d.Reason, want) && d.File != "" && d.Line > 0
				}
				if !found {
					t.Errorf("no dead letter with file, line and reason %q: %+v", want, dls)
				}
			}
			if _, err := os.Stat(filepath.Join(prefix, "report.html")); err != nil {
				t.Errorf("no report: %v", err)
			}
			checkReportVideos(t, prefix)
		})
	}
}

// checkReportVideos: the report has a per-video table naming every video of the run's
// videos/ records with its codec, and frame strips whose images are inline JPEGs that
// decode.
func checkReportVideos(t *testing.T, prefix string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(prefix, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(raw)
	_, table, ok := strings.Cut(page, "<caption>Per video</caption>")
	table, _, _ = strings.Cut(table, "</table>")
	if !ok {
		t.Fatalf("report has no per-video table")
	}
	for _, v := range readJSONL[map[string]any](t, prefix, "videos") {
		name, _ := v["video"].(string)
		if !strings.Contains(table, "<td>"+name+"</td>") {
			t.Errorf("per-video table does not list %q", name)
		}
		if p, _ := v["probe"].(map[string]any); p != nil && !strings.Contains(table, "<td>"+p["codec"].(string)+"</td>") {
			t.Errorf("per-video table lacks the codec %v of %q", p["codec"], name)
		}
	}
	imgs := regexp.MustCompile(`<img src="data:image/jpeg;base64,([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(imgs) == 0 {
		t.Fatalf("report has no frame thumbnails")
	}
	for _, m := range imgs {
		b, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1])) // the attribute escapes "+"
		if err != nil {
			t.Fatalf("thumbnail is not base64: %v", err)
		}
		if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("thumbnail does not decode as JPEG: %v", err)
		}
	}
}

// TestVideoBuildPhaseSplit checks the exact split: 40 samples in 20 (video, query) groups
// of two, tvg only, split 1:1, must give 20 samples in each phase with no group in both.
func TestVideoBuildPhaseSplit(t *testing.T) {
	v := mediatest.H264BFrames(t)
	videos := t.TempDir()
	copyFile(t, v.Path, filepath.Join(videos, "clip.mp4"))
	var b strings.Builder
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "clip 0.%d 1.5##action number %d\nclip 1.%d 2.5##Action number %d.\n", i%10, i, i%10, i)
	}
	prefix := filepath.Join(t.TempDir(), "out")
	out, err := runner(t, nil, "video", "build", "--annotations", writeFile(t, filepath.Join(t.TempDir(), "a.txt"), b.String()),
		"--format", "charades", "--videos", videos, "--output", prefix, "--phase-split", "1:1", "--seed", "7")
	if err != nil {
		t.Fatalf("video build: %v\n%s", err, out)
	}
	rows := readJSONL[builtRow](t, prefix, "data")
	if len(rows) != 40 {
		t.Fatalf("%d rows, want 40", len(rows))
	}
	perPhase := map[int]int{}
	groupPhase := map[string]int{}
	for _, r := range rows {
		perPhase[r.Phase]++
		var line string
		json.Unmarshal(r.Source, &line)
		_, sentence, _ := strings.Cut(line, "##")
		g := strings.TrimSuffix(strings.ToLower(sentence), ".")
		if p, ok := groupPhase[g]; ok && p != r.Phase {
			t.Errorf("group %q in both phases", g)
		}
		groupPhase[g] = r.Phase
	}
	if perPhase[1] != 20 || perPhase[2] != 20 {
		t.Errorf("phases %v, want 20 and 20", perPhase)
	}
	m := readManifest(t, prefix)
	if m.Counts["phase1"] != 20 || m.Counts["phase2"] != 20 {
		t.Errorf("manifest phase counts %v", m.Counts)
	}
}

// TestVideoBuildGCS runs with annotations, videos and output on gs:// (fake-gcs-server):
// the job downloads each video to a temporary file for FFmpeg and writes frames as objects.
func TestVideoBuildGCS(t *testing.T) {
	srv, host := startGCS(t)
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: "data"})
	ctx := context.Background()
	v := mediatest.HEVC(t)
	put := func(p, local string) {
		b, err := os.ReadFile(local)
		if err != nil {
			t.Fatal(err)
		}
		if err := blob.WriteAtomic(ctx, p, b); err != nil {
			t.Fatal(err)
		}
	}
	put("gs://data/videos/clips/hevc.mkv", v.Path)
	put("gs://data/videos/garbage.mkv", mediatest.Garbage(t, 4096))
	put("gs://data/in/ann.txt", writeFile(t, filepath.Join(t.TempDir(), "ann.txt"),
		"clips/hevc 0.2 1.2##a dog barks\nclips/hevc 0.5 3.5##a cat meows\ngarbage 0 1##noise\nnope 0 1##nothing\n"))
	env := []string{"STORAGE_EMULATOR_HOST=" + host}
	prefix := "gs://data/out/build"
	out, err := runner(t, env, "video", "build", "--annotations", "gs://data/in/ann.txt", "--format", "charades", "--charades-ext", ".mkv",
		"--videos", "gs://data/videos", "--output", prefix, "--max-dead-letter-fraction", "1")
	if err != nil {
		t.Fatalf("video build on gs://: %v\n%s", err, out)
	}
	m := readManifest(t, prefix)
	checkCountsOf(t, "gcs", m.Counts, map[string]int64{"read": 4, "written": 1, "dead_lettered": 3,
		"rule.end_beyond_duration.rejected": 1, "rule.video_invalid.rejected": 1, "rule.video_not_found.rejected": 1})
	rows := readJSONL[builtRow](t, prefix, "data")
	if len(rows) != 1 {
		t.Fatalf("%d rows, want 1", len(rows))
	}
	checkRowFrames(t, prefix, rows[0], expectFrames(t, v.Path, v.Width, v.Height))

	// A rerun finds the frames complete on gs:// and neither downloads nor decodes again.
	if out, err := runner(t, env, "video", "build", "--annotations", "gs://data/in/ann.txt", "--format", "charades", "--charades-ext", ".mkv",
		"--videos", "gs://data/videos", "--output", prefix, "--max-dead-letter-fraction", "1"); err != nil {
		t.Fatalf("rerun on gs://: %v\n%s", err, out)
	}
	if m := readManifest(t, prefix); m.Counts["videos.reused"] != 1 || m.Counts["written"] != 1 {
		t.Errorf("rerun on gs://: counts %v, want 1 video reused and 1 row", m.Counts)
	}
}

// checkFramesExact fails unless each row's frame folder holds exactly its JPEGs: no frames
// of an earlier run's plan stay behind.
func checkFramesExact(t *testing.T, step, prefix string, rows []builtRow) {
	t.Helper()
	for _, r := range rows {
		want := map[string]bool{}
		for _, p := range r.Frames.Paths {
			want[filepath.Base(p)] = true
		}
		entries, err := os.ReadDir(filepath.Join(prefix, filepath.Dir(r.Frames.Paths[0])))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			if ext := filepath.Ext(e.Name()); ext == ".jpg" || ext == ".png" {
				got = append(got, e.Name())
				if !want[e.Name()] {
					t.Errorf("%s: %s: %s is not one of the row's frames", step, r.Video, e.Name())
				}
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %s: %d frames in the folder, want the row's %d", step, r.Video, len(got), len(want))
		}
	}
}

// removeOneFrame deletes the last frame of video's row under prefix.
func removeOneFrame(t *testing.T, prefix, video string) {
	t.Helper()
	for _, r := range readJSONL[builtRow](t, prefix, "data") {
		if r.Video == video {
			if err := os.Remove(filepath.Join(prefix, r.Frames.Paths[len(r.Frames.Paths)-1])); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no row for %s", video)
}

// TestVideoBuildReuse reruns a build into the same output: frames a run completed are
// reused only while the video and the settings are the same, and reuse changes no row.
func TestVideoBuildReuse(t *testing.T) {
	h264, vp9, hevc := mediatest.H264BFrames(t), mediatest.VP9(t), mediatest.HEVC(t)
	videos := t.TempDir()
	copyFile(t, h264.Path, filepath.Join(videos, "a.mp4"))
	copyFile(t, vp9.Path, filepath.Join(videos, "b.mp4"))
	ann := writeFile(t, filepath.Join(t.TempDir(), "ann.txt"), "a 0.5 1.5##a person waves.\nb 0.2 1.2##a dog runs.\n")
	prefix := filepath.Join(t.TempDir(), "out")
	steps := []struct {
		name   string
		before func()
		args   []string
		reused int64
		dur    map[string]float64 // video -> row duration, when checked
		config map[string]any     // manifest config entries, when checked
		ext    string             // extension of every frame path, when checked
	}{
		{name: "first run", reused: 0, dur: map[string]float64{"a.mp4": 3, "b.mp4": 2}},
		{name: "same run again", reused: 2},
		{name: "other JPEG quality", args: []string{"--jpeg-quality", "5"}, reused: 0},
		{name: "video replaced", before: func() { copyFile(t, hevc.Path, filepath.Join(videos, "a.mp4")) },
			args: []string{"--jpeg-quality", "5"}, reused: 1, dur: map[string]float64{"a.mp4": 2, "b.mp4": 2}},
		{name: "reuse off", args: []string{"--jpeg-quality", "5", "--reuse-frames=false"}, reused: 0},
		{name: "fewer frames", args: []string{"--jpeg-quality", "5", "--max-frames", "4"}, reused: 0},
		{name: "same again", args: []string{"--jpeg-quality", "5", "--max-frames", "4"}, reused: 2},
		{name: "a frame deleted", before: func() { removeOneFrame(t, prefix, "b.mp4") },
			args: []string{"--jpeg-quality", "5", "--max-frames", "4"}, reused: 1},
		{name: "other colour matrix", args: []string{"--jpeg-quality", "5", "--max-frames", "4", "--color-matrix", "bt601"}, reused: 0,
			config: map[string]any{"color_matrix": "bt601", "frame_format": "jpeg"}},
		{name: "same colour matrix again", args: []string{"--jpeg-quality", "5", "--max-frames", "4", "--color-matrix", "bt601"}, reused: 2},
		{name: "png frames", args: []string{"--jpeg-quality", "5", "--max-frames", "4", "--color-matrix", "bt601", "--frame-format", "png"}, reused: 0,
			config: map[string]any{"color_matrix": "bt601", "frame_format": "png"}, ext: ".png"},
		{name: "png again", args: []string{"--jpeg-quality", "5", "--max-frames", "4", "--color-matrix", "bt601", "--frame-format", "png"}, reused: 2, ext: ".png"},
		{name: "back to default jpeg", args: []string{"--jpeg-quality", "5", "--max-frames", "4"}, reused: 0,
			config: map[string]any{"color_matrix": "auto", "frame_format": "jpeg"}, ext: ".jpg"},
	}
	var firstRows []builtRow
	for i, st := range steps {
		if st.before != nil {
			st.before()
		}
		args := append([]string{"video", "build", "--annotations", ann, "--format", "charades", "--videos", videos, "--output", prefix}, st.args...)
		if out, err := runner(t, nil, args...); err != nil {
			t.Fatalf("%s: %v\n%s", st.name, err, out)
		}
		m := readManifest(t, prefix)
		if m.Counts["videos.reused"] != st.reused || m.Counts["written"] != 2 {
			t.Errorf("%s: %d videos reused and %d rows, want %d and 2", st.name, m.Counts["videos.reused"], m.Counts["written"], st.reused)
		}
		recs := readJSONL[struct {
			Video  string `json:"video"`
			Reused bool   `json:"reused"`
		}](t, prefix, "videos")
		n := int64(0)
		for _, r := range recs {
			if r.Reused {
				n++
			}
		}
		if n != st.reused {
			t.Errorf("%s: %d video records say reused, want %d", st.name, n, st.reused)
		}
		rows := readJSONL[builtRow](t, prefix, "data")
		sort.Slice(rows, func(i, j int) bool { return rows[i].Video < rows[j].Video })
		for _, r := range rows {
			if want, ok := st.dur[r.Video]; ok && math.Abs(r.Duration-want) > 1e-9 {
				t.Errorf("%s: %s has duration %v, want %v (frames of the old video reused?)", st.name, r.Video, r.Duration, want)
			}
		}
		checkFramesExact(t, st.name, prefix, rows)
		for k, want := range st.config {
			if got := m.Config[k]; got != want {
				t.Errorf("%s: manifest config %s = %v, want %v", st.name, k, got, want)
			}
		}
		for _, r := range rows {
			for _, p := range r.Frames.Paths {
				if st.ext != "" && filepath.Ext(p) != st.ext {
					t.Errorf("%s: frame %s, want %s", st.name, p, st.ext)
				}
			}
		}
		switch i {
		case 0:
			firstRows = rows
		case 1:
			if fmt.Sprint(rows) != fmt.Sprint(firstRows) {
				t.Errorf("reused frames changed the rows:\n%v\nwant\n%v", rows, firstRows)
			}
		}
	}
}

func TestVideoBuildBadInvocations(t *testing.T) {
	dir := t.TempDir()
	ann := writeFile(t, filepath.Join(dir, "a.txt"), "x 0 1##y\n")
	writeFile(t, filepath.Join(dir, "x.mp4"), "") // passes the --videos preflight (video_preflight_test.go)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad format", []string{"--format", "csv", "--videos", dir}, "csv"},
		{"no videos", []string{"--format", "charades"}, "--videos is required"},
		{"bad split", []string{"--format", "charades", "--videos", dir, "--phase-split", "1-2"}, "phase-split"},
		{"missing instruction", []string{"--format", "charades", "--videos", dir, "--instructions-phase1", filepath.Join(dir, "none.txt")}, "phase 1 instruction"},
		{"bad jpeg quality", []string{"--format", "charades", "--videos", dir, "--jpeg-quality", "1"}, "jpeg quality"},
		{"bad colour matrix", []string{"--format", "charades", "--videos", dir, "--color-matrix", "bt2020"}, "colour matrix"},
		{"bad frame format", []string{"--format", "charades", "--videos", dir, "--frame-format", "webp"}, "frame format"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"video", "build", "--annotations", ann, "--output", filepath.Join(dir, "out")}, tc.args...)
			out, err := runner(t, nil, args...)
			if err == nil || !strings.Contains(out, tc.want) || strings.Contains(out, "panic") {
				t.Errorf("runner %v = %v, want a clear error containing %q:\n%s", tc.args, err, tc.want, out)
			}
		})
	}
}
