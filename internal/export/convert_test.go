package export

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"
)

func readLines(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

func strp(s string) *string   { return &s }
func f64p(f float64) *float64 { return &f }
func mustJSON(v any) string   { b, _ := json.Marshal(v); return string(b) }

func TestFromWriting(t *testing.T) {
	rows := readLines(t, "writing.jsonl")
	sys := Message{Role: "system", Content: "You are a helpful assistant."}
	tests := []struct {
		name string
		row  string
		opts Options
		want WritingRow
	}{
		{"string references and criteria", rows[0], Options{}, WritingRow{
			DataSource: "writing",
			Prompt:     []Message{sys, {Role: "user", Content: "Write a 300-word story about a lighthouse."}},
			Ability:    "write",
			RewardModel: WritingReward{Style: "rule", GroundTruth: WritingTruth{
				Prompt: "Write a 300-word story about a lighthouse.", Target: []string{"weak story", "middle story", "strong story"},
				Criteria: strp("Vivid imagery"), ID: "w-1"}},
			ExtraInfo: Extra{Index: "w-1", Split: "train"},
			Label:     `{"branch":"writing","sample_id":"w-1"}`,
		}},
		{"object references, null criteria, test split", rows[1], Options{Split: "test"}, WritingRow{
			DataSource: "writing",
			Prompt:     []Message{sys, {Role: "user", Content: "写一篇关于春天的散文。"}},
			Ability:    "write",
			RewardModel: WritingReward{Style: "rule", GroundTruth: WritingTruth{
				Prompt: "写一篇关于春天的散文。", Target: []string{"春天一", "春天二"}, ID: "w-2"}},
			ExtraInfo: Extra{Index: "w-2", Split: "test"},
			Label:     `{"branch":"writing","sample_id":"w-2"}`,
		}},
		{"list criteria one a line, own system", rows[2], Options{System: "Be brief."}, WritingRow{
			DataSource: "writing",
			Prompt:     []Message{{Role: "system", Content: "Be brief."}, {Role: "user", Content: "Draft a memo."}},
			Ability:    "write",
			RewardModel: WritingReward{Style: "rule", GroundTruth: WritingTruth{
				Prompt: "Draft a memo.", Target: []string{"memo A"}, Criteria: strp("Clarity\nBrevity"), ID: "w-3"}},
			ExtraInfo: Extra{Index: "w-3", Split: "train"},
			Label:     `{"branch":"writing","sample_id":"w-3"}`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FromWriting([]byte(tc.row), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("FromWriting =\n%s\nwant\n%s", mustJSON(got), mustJSON(tc.want))
			}
		})
	}
}

func TestFromWritingBad(t *testing.T) {
	tests := []struct{ name, row string }{
		{"not json", `{"id":`},
		{"no id", `{"prompt":"p","references":["a"]}`},
		{"no prompt", `{"id":"x","references":["a"]}`},
		{"no references", `{"id":"x","prompt":"p","references":[]}`},
		{"reference without text", `{"id":"x","prompt":"p","references":[{"model":"m"}]}`},
		{"reference a number", `{"id":"x","prompt":"p","references":[3]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := FromWriting([]byte(tc.row), Options{}); !errors.Is(err, ErrBadRow) {
				t.Errorf("FromWriting(%s) error = %v, want ErrBadRow", tc.row, err)
			}
		})
	}
}

func TestFromVideo(t *testing.T) {
	rows := readLines(t, "video.jsonl")
	tests := []struct {
		name string
		row  string
		opts Options
		want VideoRow
	}{
		{"relative paths, phase 1", rows[0], Options{}, VideoRow{
			DataSource: "museg",
			Prompt:     []Message{{Role: "user", Content: "<video>When does the person put a book on a shelf? Think first."}},
			Ability:    "video_grounding",
			Videos: []VideoEntry{{Video: []string{"frames/v-1/000000.jpg", "frames/v-1/000001.jpg", "frames/v-1/000002.jpg", "frames/v-1/000003.jpg"},
				FPS: 2, SampleFPS: 2, ResizedHeight: 84, ResizedWidth: 140}},
			RewardModel: VideoReward{Style: "rule", GroundTruth: VideoTruth{Solution: [][]float64{{0, 6.9}}, Phase: 1, Task: "tvg", Duration: f64p(30.5)}},
			ExtraInfo:   VideoExtra{Index: "v-1", Split: "train", Video: "videos/charades/AO8RW.mp4", Question: "When does the person put a book on a shelf?"},
			Label:       `{"branch":"museg","solution":[[0,6.9]],"phase":1,"mode":"compat"}`,
		}},
		{"mounted root, numeric id, strict, no duration", rows[1], Options{FrameRoot: "file:///mnt/gcs/b/run/", Mode: "strict", Split: "val"}, VideoRow{
			DataSource: "museg",
			Prompt:     []Message{{Role: "user", Content: "<video>Find all darts throws. Answer."}},
			Ability:    "video_grounding",
			Videos: []VideoEntry{{Video: []string{"file:///mnt/gcs/b/run/frames/7/a.jpg", "file:///mnt/gcs/b/run/frames/7/b.jpg"},
				FPS: 0.025, SampleFPS: 0.025, ResizedHeight: 140, ResizedWidth: 252}},
			RewardModel: VideoReward{Style: "rule", GroundTruth: VideoTruth{Solution: [][]float64{{0.03, 7.07}, {17.27, 27.32}}, Phase: 2, Task: "tal"}},
			ExtraInfo:   VideoExtra{Index: "7", Split: "val", Video: "videos/hacs/F54.mp4", Question: "Find all darts throws."},
			Label:       `{"branch":"museg","solution":[[0.03,7.07],[17.27,27.32]],"phase":2,"mode":"strict"}`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FromVideo([]byte(tc.row), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("FromVideo =\n%s\nwant\n%s", mustJSON(got), mustJSON(tc.want))
			}
		})
	}
}

func TestFromVideoBad(t *testing.T) {
	frames := `"frames":{"paths":["a","b"],"fps":2}`
	tests := []struct {
		name, row string
		opts      Options
	}{
		{"odd frame count", `{"id":"x","prompt":"p","phase":1,"solution":[[1,2]],"frames":{"paths":["a"],"fps":2}}`, Options{}},
		{"no frames", `{"id":"x","prompt":"p","phase":1,"solution":[[1,2]]}`, Options{}},
		{"zero fps", `{"id":"x","prompt":"p","phase":1,"solution":[[1,2]],"frames":{"paths":["a","b"],"fps":0}}`, Options{}},
		{"phase 3", `{"id":"x","prompt":"p","phase":3,"solution":[[1,2]],` + frames + `}`, Options{}},
		{"segment of three", `{"id":"x","prompt":"p","phase":1,"solution":[[1,2,3]],` + frames + `}`, Options{}},
		{"no prompt", `{"id":"x","phase":1,"solution":[[1,2]],` + frames + `}`, Options{}},
		{"id an object", `{"id":{},"prompt":"p","phase":1,"solution":[[1,2]],` + frames + `}`, Options{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := FromVideo([]byte(tc.row), tc.opts); !errors.Is(err, ErrBadRow) {
				t.Errorf("FromVideo(%s) error = %v, want ErrBadRow", tc.row, err)
			}
		})
	}
	if _, err := FromVideo([]byte(`{}`), Options{Mode: "lenient"}); err == nil {
		t.Error("mode lenient accepted")
	}
}

func TestFramePath(t *testing.T) {
	tests := []struct{ name, root, rel, want string }{
		{"no root", "", "frames/a.jpg", "frames/a.jpg"},
		{"root without slash", "file:///mnt/b", "frames/a.jpg", "file:///mnt/b/frames/a.jpg"},
		{"root with slash, dot rel", "/mnt/b/", "./frames/a.jpg", "/mnt/b/frames/a.jpg"},
		{"absolute kept", "/mnt/b", "/data/a.jpg", "/data/a.jpg"},
		{"url kept", "/mnt/b", "gs://x/a.jpg", "gs://x/a.jpg"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FramePath(tc.root, tc.rel); got != tc.want {
				t.Errorf("FramePath(%q, %q) = %q, want %q", tc.root, tc.rel, got, tc.want)
			}
		})
	}
}

func TestParseLabel(t *testing.T) {
	tests := []struct {
		name, in string
		want     Label
		err      bool
	}{
		{"museg", `{"branch":"museg","solution":[[1,2.5],[3,4]],"phase":2,"mode":"strict"}`, Label{Branch: "museg", Solution: [][2]float64{{1, 2.5}, {3, 4}}, Phase: 2, Mode: "strict"}, false},
		{"museg default mode", `{"branch":"museg","solution":[],"phase":1}`, Label{Branch: "museg", Solution: [][2]float64{}, Phase: 1, Mode: "compat"}, false},
		{"writing", `{"branch":"writing","sample_id":"w-1","validation":true}`, Label{Branch: "writing", SampleID: "w-1", Validation: true}, false},
		{"not json", `museg`, Label{}, true},
		{"no branch", `{"sample_id":"x"}`, Label{}, true},
		{"unknown branch", `{"branch":"math"}`, Label{}, true},
		{"phase 0", `{"branch":"museg","solution":[[1,2]]}`, Label{}, true},
		{"bad mode", `{"branch":"museg","solution":[[1,2]],"phase":1,"mode":"x"}`, Label{}, true},
		{"triple", `{"branch":"museg","solution":[[1,2,3]],"phase":1}`, Label{}, true},
		{"strings", `{"branch":"museg","solution":[["1","2"]],"phase":1}`, Label{}, true},
		{"writing no id", `{"branch":"writing"}`, Label{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseLabel(tc.in)
			if tc.err {
				if !errors.Is(err, ErrBadLabel) {
					t.Errorf("ParseLabel(%s) error = %v, want ErrBadLabel", tc.in, err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseLabel(%s) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestLabelRoundTrip(t *testing.T) {
	for _, l := range []Label{
		{Branch: "museg", Solution: [][2]float64{{0.03, 7.07}}, Phase: 1, Mode: "compat"},
		{Branch: "writing", SampleID: "a\"b"},
	} {
		got, err := ParseLabel(l.String())
		if err != nil || !reflect.DeepEqual(got, l) {
			t.Errorf("ParseLabel(%s) = %+v, %v", l.String(), got, err)
		}
	}
}
