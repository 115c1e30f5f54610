package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"
	"github.com/parquet-go/parquet-go"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/media/mediatest"
)

// musegLine is a row of PREFIX/museg/ as MUSEG's released trainer reads it
// (THUNLP-MT/MUSEG src/train.py, src/trainer.py), decoded independently of the job's
// types. Idx is kept as a JSON number to check it is an integer literal.
type musegLine struct {
	Idx      json.Number  `json:"idx"`
	Problem  string       `json:"problem"`
	Solution [][2]float64 `json:"solution"`
	Video    []string     `json:"video"`
	Task     string       `json:"task"`
	Duration *float64     `json:"duration"`
	FPS      float64      `json:"fps"`
}

// verlVideo is the part of a verl Parquet video row the test checks.
type verlVideo struct {
	Videos []struct {
		Video []string `parquet:"video,list"`
	} `parquet:"videos,list"`
}

// shardRows sums the manifest's rows of output out and counts its shards.
func shardRows(m layout.Manifest, out string) (rows int64, shards int) {
	for _, sh := range m.Shards {
		if sh.Output == out {
			rows += sh.Rows
			shards++
		}
	}
	return rows, shards
}

// TestVideoBuildTrainerOutputs runs video build with --output-format jsonl,parquet,museg:
// MUSEG rows carry the question, the segments, the task, an integer idx and the absolute
// paths of frames that exist; verl rows carry the same absolute paths; both outputs are
// listed in the manifest with as many rows as the data output; max_prompt_length is in
// the manifest and the JSON summary and bounds every row's frame and text tokens;
// --frame-root rewrites the prefix of both.
func TestVideoBuildTrainerOutputs(t *testing.T) {
	v := mediatest.H264BFrames(t) // 3 s
	videos := t.TempDir()
	copyFile(t, v.Path, filepath.Join(videos, "clip.mp4"))
	ann := writeFile(t, filepath.Join(t.TempDir(), "a.txt"),
		"clip 0.0 1.5##a person opens a door.\nclip 1.0 2.5##what does the person hold?\nclip 0.5 1.0##a person waves\n")
	prefix := filepath.Join(t.TempDir(), "out")
	build := func(more ...string) string {
		args := append([]string{"video", "build", "--annotations", ann, "--format", "charades", "--videos", videos, "--output", prefix,
			"--output-format", "jsonl,parquet,museg"}, more...)
		stdout, stderr, code := runnerSplit(t, args...)
		if code != 0 {
			t.Fatalf("video build: exit %d\n%s", code, stderr)
		}
		return stdout
	}
	stdout := build()
	m := readManifest(t, prefix)
	data := readJSONL[builtRow](t, prefix, "data")
	if len(data) != 3 {
		t.Fatalf("%d data rows, want 3", len(data))
	}
	for _, out := range []string{"museg", "parquet"} {
		if n, shards := shardRows(m, out); n != m.Counts[layout.CountWritten] || shards == 0 {
			t.Errorf("manifest lists %d %s rows in %d shards, want %d", n, out, shards, m.Counts[layout.CountWritten])
		}
	}
	byQuestion := map[string]builtRow{}
	for _, r := range data {
		byQuestion[r.Question] = r
	}
	rows := readJSONL[musegLine](t, prefix, "museg")
	idx := map[int64]bool{}
	for _, r := range rows {
		d, ok := byQuestion[r.Problem]
		if !ok {
			t.Errorf("museg problem %q is not a data row's question", r.Problem)
			continue
		}
		i, err := strconv.ParseInt(r.Idx.String(), 10, 64)
		if err != nil || i < 0 || idx[i] {
			t.Errorf("museg idx %s: want a distinct non-negative integer", r.Idx)
		}
		idx[i] = true
		if !slices.Equal(r.Solution, d.Solution) || r.Task != string(d.Task) || r.Duration == nil || *r.Duration != d.Duration || r.FPS != d.Frames.FPS {
			t.Errorf("museg row %+v does not carry data row %s's solution, task, duration and fps", r, d.ID)
		}
		checkAbsFrames(t, "museg "+d.ID, r.Video, prefix, d.Frames.Paths)
	}
	if len(rows) != len(data) {
		t.Errorf("%d museg rows, want %d", len(rows), len(data))
	}
	for _, p := range parquetFiles(t, m, prefix) {
		pr, err := parquet.ReadFile[verlVideo](p)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range pr {
			for _, f := range r.Videos[0].Video {
				if !filepath.IsAbs(f) {
					t.Errorf("parquet frame path %q is not absolute", f)
				} else if _, err := os.Stat(f); err != nil {
					t.Error(err)
				}
			}
		}
	}
	checkMaxPromptLength(t, stdout, m, data)

	build("--frame-root", "/mnt/gcs/run")
	for _, r := range readJSONL[musegLine](t, prefix, "museg") {
		for _, f := range r.Video {
			if !strings.HasPrefix(f, "/mnt/gcs/run/frames/") {
				t.Errorf("--frame-root /mnt/gcs/run: museg frame %q", f)
			}
		}
	}
}

// checkAbsFrames fails unless got are the absolute forms of the frame paths rel (relative
// to prefix) and the files exist.
func checkAbsFrames(t *testing.T, what string, got []string, prefix string, rel []string) {
	t.Helper()
	if len(got) != len(rel) {
		t.Errorf("%s: %d frames, want %d", what, len(got), len(rel))
		return
	}
	for i, f := range got {
		if want := filepath.Join(prefix, rel[i]); f != want {
			t.Errorf("%s: frame %d is %q, want %q", what, i, f, want)
		}
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
}

func parquetFiles(t *testing.T, m layout.Manifest, prefix string) []string {
	var files []string
	for _, sh := range m.Shards {
		if sh.Output == "parquet" {
			files = append(files, filepath.Join(prefix, sh.Path))
		}
	}
	if len(files) == 0 {
		t.Fatal("no parquet shards in the manifest")
	}
	return files
}

// checkMaxPromptLength checks the summary's and the manifest's max_prompt_length: the
// same number, at least the longest row's Qwen2.5-VL frame tokens (a token per 28x28
// pixels per 2 frames) plus its prompt's UTF-8 bytes, and no more than 200 tokens above
// (the chat template).
func checkMaxPromptLength(t *testing.T, stdout string, m layout.Manifest, data []builtRow) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	var sum struct {
		MaxPromptLength int64 `json:"max_prompt_length"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); err != nil {
		t.Fatalf("summary: %v", err)
	}
	extra, _ := m.Extra["max_prompt_length"].(float64)
	var longest int64
	for _, r := range data {
		n := int64(len(r.Frames.Paths)/2*(r.Frames.Width/28)*(r.Frames.Height/28) + len(r.Prompt))
		longest = max(longest, n)
	}
	if sum.MaxPromptLength != int64(extra) || sum.MaxPromptLength < longest || sum.MaxPromptLength > longest+200 {
		t.Errorf("max_prompt_length: summary %d, manifest %v; want the same, between %d and %d", sum.MaxPromptLength, m.Extra["max_prompt_length"], longest, longest+200)
	}
}

// TestVideoBuildTrainerPathsGCS checks that trainer rows of a build into gs:// name
// their frames by gs:// URI, and that the frames are there.
func TestVideoBuildTrainerPathsGCS(t *testing.T) {
	srv, host := startGCS(t)
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: "data"})
	ctx := context.Background()
	v := mediatest.HEVC(t)
	b, err := os.ReadFile(v.Path)
	if err != nil {
		t.Fatal(err)
	}
	if err := blob.WriteAtomic(ctx, "gs://data/videos/hevc.mkv", b); err != nil {
		t.Fatal(err)
	}
	if err := blob.WriteAtomic(ctx, "gs://data/in/ann.txt", []byte("hevc 0.2 1.2##a dog barks\n")); err != nil {
		t.Fatal(err)
	}
	prefix := "gs://data/out/build"
	out, err := runner(t, []string{"STORAGE_EMULATOR_HOST=" + host}, "video", "build", "--annotations", "gs://data/in/ann.txt", "--format", "charades",
		"--charades-ext", ".mkv", "--videos", "gs://data/videos", "--output", prefix, "--output-format", "jsonl,museg")
	if err != nil {
		t.Fatalf("video build on gs://: %v\n%s", err, out)
	}
	rows := readJSONL[musegLine](t, prefix, "museg")
	if len(rows) != 1 || len(rows[0].Video) == 0 {
		t.Fatalf("museg rows %+v, want 1 with frames", rows)
	}
	for _, f := range rows[0].Video {
		if !strings.HasPrefix(f, prefix+"/frames/") {
			t.Errorf("frame %q: want a gs:// URI under %s/frames/", f, prefix)
		} else if _, err := blob.ReadFile(ctx, f); err != nil {
			t.Error(err)
		}
	}
}

// writingRLRow is a Writing-RL row as its verl fork reads it
// (verl/utils/reward_score/writing_rl.py: ground_truth prompt, target, criteria, id).
type writingRLRow struct {
	DataSource  string `parquet:"data_source"`
	RewardModel struct {
		GroundTruth struct {
			Prompt string   `parquet:"prompt"`
			Target []string `parquet:"target,list"`
			ID     string   `parquet:"id"`
		} `parquet:"ground_truth"`
	} `parquet:"reward_model"`
	ExtraInfo struct {
		Index    int64  `parquet:"index"`
		SampleID string `parquet:"sample_id"`
	} `parquet:"extra_info"`
}

// TestWritingSelectWritingRL writes writingrl rows and looks each one's reference up as
// the fork does: in the index file scripts/create_index_file.py writes ({i: 0} for i in
// 0..N, through JSON, so the keys are decimal strings), target[index[id]]. Every row
// must be found, its index an integer below the row count, its targets the data row's
// references in order.
func TestWritingSelectWritingRL(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "out")
	out, err := runner(t, nil, "writing", "select", "--input", example(t, "writing_samples.jsonl"), "--output", prefix, "--top-k", "6",
		"--output-format", "jsonl,writingrl")
	if err != nil {
		t.Fatalf("writing select: %v\n%s", err, out)
	}
	m := readManifest(t, prefix)
	n, shards := shardRows(m, "writingrl")
	if n != m.Counts[layout.CountWritten] || n == 0 || shards == 0 {
		t.Fatalf("manifest lists %d writingrl rows in %d shards, written %d", n, shards, m.Counts[layout.CountWritten])
	}
	refs := map[string][]string{}
	for _, r := range readJSONL[struct {
		ID         string            `json:"id"`
		References []json.RawMessage `json:"references"`
	}](t, prefix, "data") {
		for _, ref := range r.References {
			var s string
			var o struct{ Text string }
			if json.Unmarshal(ref, &s) != nil {
				json.Unmarshal(ref, &o)
				s = o.Text
			}
			refs[r.ID] = append(refs[r.ID], s)
		}
	}
	byIndex := map[int]int{}
	for i := 0; i <= int(n); i++ {
		byIndex[i] = 0
	}
	var file bytes.Buffer
	json.NewEncoder(&file).Encode(byIndex)
	var index map[string]any
	json.Unmarshal(file.Bytes(), &index)
	seen := map[string]bool{}
	for _, sh := range m.Shards {
		if sh.Output != "writingrl" {
			continue
		}
		rows, err := parquet.ReadFile[writingRLRow](filepath.Join(prefix, sh.Path))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			gt := r.RewardModel.GroundTruth
			if _, ok := index[gt.ID]; !ok || seen[gt.ID] {
				t.Errorf("ground_truth.id %q: not a distinct key of the fork's index file for %d rows", gt.ID, n)
			}
			seen[gt.ID] = true
			if strconv.FormatInt(r.ExtraInfo.Index, 10) != gt.ID {
				t.Errorf("extra_info.index %d, ground_truth.id %q", r.ExtraInfo.Index, gt.ID)
			}
			if want := refs[r.ExtraInfo.SampleID]; len(want) == 0 || !slices.Equal(gt.Target, want) {
				t.Errorf("sample %q: target %q, want the data row's references %q", r.ExtraInfo.SampleID, gt.Target, want)
			}
			if !strings.Contains(r.DataSource, "writing") || gt.Prompt == "" {
				t.Errorf("row %+v: data_source must name writing and the prompt be given", r)
			}
		}
	}
}

// TestOutputFormatRefused checks that an unknown, misplaced or incomplete --output-format
// ends the job before Beam starts: exit 1, the error on one line naming the problem, no output.
func TestOutputFormatRefused(t *testing.T) {
	dir := t.TempDir()
	videos := t.TempDir()
	ann := writeFile(t, filepath.Join(dir, "a.txt"), "clip 0.0 1.5##a person opens a door.\n")
	cases := []struct{ name, job, format, want string }{
		{"unknown", "video", "jsonl,xml", `unknown format "xml"`},
		{"writingrl on video", "video", "jsonl,writingrl", "writingrl rows come from writing select only"},
		{"museg on writing", "writing", "jsonl,museg", "museg rows come from video build only"},
		{"no jsonl", "writing", "parquet", "jsonl is always written"},
		{"empty name", "writing", "jsonl,,parquet", "empty format name"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prefix := filepath.Join(dir, "out", strconv.Itoa(i))
			args := []string{"writing", "select", "--input", example(t, "writing_samples.jsonl"), "--top-k", "2"}
			if c.job == "video" {
				args = []string{"video", "build", "--annotations", ann, "--format", "charades", "--videos", videos}
			}
			_, stderr, code := runnerSplit(t, append(args, "--output", prefix, "--output-format", c.format)...)
			first, rest, _ := strings.Cut(stderr, "\n")
			if code != 1 || !strings.HasPrefix(first, "runner: ") || !strings.Contains(first, c.want) || !strings.Contains(rest, "nothing was started") {
				t.Errorf("--output-format %s: exit %d, stderr:\n%s\nwant exit 1, the error on one line with %q, then nothing was started", c.format, code, stderr, c.want)
			}
			if _, err := os.Stat(prefix); !os.IsNotExist(err) {
				t.Errorf("--output-format %s: %s exists (%v); nothing should be written", c.format, prefix, err)
			}
		})
	}
}
