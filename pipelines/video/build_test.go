package video

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/graph/coder"
	"github.com/rlcurate/rlcurate/internal/annotations"
	"github.com/rlcurate/rlcurate/internal/media"
	"github.com/rlcurate/rlcurate/internal/report"
	"github.com/rlcurate/rlcurate/internal/sampling"
)

func TestVideoKey(t *testing.T) {
	safe := regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]*-[0-9a-f]{12}$`)
	tests := []struct {
		name, video, prefix string
	}{
		{"plain", "demo_a.mp4", "demo_a.mp4-"},
		{"folders", "videos/hacs/F54.mp4", "videos_hacs_F54.mp4-"},
		{"spaces and unicode", "sub dir/été.mkv", "sub_dir_"},
		{"parent", "../up.mp4", "_up.mp4-"},
		{"empty", "", "video-"},
	}
	seen := map[string]string{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := VideoKey(tc.video)
			if !safe.MatchString(k) || len(k) > 80+13 {
				t.Errorf("VideoKey(%q) = %q, not a safe name", tc.video, k)
			}
			if len(k) < len(tc.prefix) || k[:len(tc.prefix)] != tc.prefix {
				t.Errorf("VideoKey(%q) = %q, want prefix %q", tc.video, k, tc.prefix)
			}
			if VideoKey(tc.video) != k {
				t.Errorf("VideoKey(%q) not deterministic", tc.video)
			}
			if other, ok := seen[k]; ok {
				t.Errorf("VideoKey(%q) = VideoKey(%q)", tc.video, other)
			}
			seen[k] = tc.video
		})
	}
	if VideoKey("a/b.mp4") == VideoKey("a_b.mp4") {
		t.Errorf("paths that sanitise alike share a key")
	}
}

func TestMediaClass(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"missing", fmt.Errorf("probe x: %w", media.ErrNotFound), ClassNotFound},
		{"garbage", fmt.Errorf("probe x: %w", media.ErrInvalid), ClassInvalid},
		{"audio", media.ErrNoVideo, ClassNoVideo},
		{"truncated", media.ErrTruncated, ClassTruncated},
		{"too short", fmt.Errorf("plan: %w", sampling.ErrTooFewFrames), ClassUnsampleable},
		{"other", errors.New("boom"), ClassOther},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := MediaClass(tc.err); got != tc.want {
				t.Errorf("MediaClass(%v) = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}

func TestVideoDurationSec(t *testing.T) {
	tests := []struct {
		name string
		info media.Info
		want float64
	}{
		{"frames over fps", media.Info{Frames: 90, AvgFPS: 30, DurationSec: 3.5, StreamDurationSec: 3.1}, 3},
		{"stream duration", media.Info{StreamDurationSec: 3.1, DurationSec: 3.5}, 3.1},
		{"container duration", media.Info{DurationSec: 3.5}, 3.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := VideoDurationSec(tc.info); got != tc.want {
				t.Errorf("VideoDurationSec = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestResolveVideo(t *testing.T) {
	tests := []struct{ name, root, video, want string }{
		{"relative local", "/data/v", "a/b.mp4", "/data/v/a/b.mp4"},
		{"relative gcs", "gs://b/v", "a/b.mp4", "gs://b/v/a/b.mp4"},
		{"absolute", "/data/v", "/x/b.mp4", "/x/b.mp4"},
		{"gcs url", "/data/v", "gs://c/b.mp4", "gs://c/b.mp4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ResolveVideo(tc.root, tc.video); got != tc.want {
				t.Errorf("ResolveVideo(%q, %q) = %q, want %q", tc.root, tc.video, got, tc.want)
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want annotations.Format
		ok   bool
	}{
		{"museg", annotations.FormatMuseg, true},
		{"charades", annotations.FormatCharades, true},
		{"etinstruct", annotations.FormatETInstruct, true},
		{"et_instruct", annotations.FormatETInstruct, true},
		{"csv", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseFormat(tc.in)
			if got != tc.want || (err == nil) != tc.ok {
				t.Errorf("ParseFormat(%q) = %q, %v", tc.in, got, err)
			}
		})
	}
}

func TestRuleOutcomes(t *testing.T) {
	got := RuleOutcomes(map[string]int64{
		"read": 9, "phase1": 3, "filtered.blank_line": 1,
		"rule.end_beyond_duration.rejected": 2, "rule.end_beyond_duration.fixed": 1, "rule.video_not_found.rejected": 4,
	})
	want := []report.OutcomeCount{
		{Rule: "end_beyond_duration", Outcome: "fixed", Count: 1},
		{Rule: "end_beyond_duration", Outcome: "rejected", Count: 2},
		{Rule: "video_not_found", Outcome: "rejected", Count: 4},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("RuleOutcomes = %v, want %v", got, want)
	}
}

func TestWithPhase(t *testing.T) {
	r := Row{ID: "x", Question: "Where is 'a cat'?"}
	for _, ph := range []annotations.Phase{annotations.Phase1, annotations.Phase2} {
		got, err := withPhase(r, ph, [2]string{"{question} ONE", "TWO"})
		if err != nil {
			t.Fatal(err)
		}
		wantPrompt := map[annotations.Phase]string{1: "Where is 'a cat'? ONE", 2: "Where is 'a cat'? TWO"}[ph]
		if got.Phase != int(ph) || got.Prompt != wantPrompt || got.Reward.Phase != int(ph) || got.Reward.TimestampCheck != (ph == 1) {
			t.Errorf("phase %d: %+v", ph, got)
		}
	}
}

func TestJSONText(t *testing.T) {
	for _, s := range []string{"plain", "été", "caf\xff", "a\xc3", "\xe2\x82 <b> & \xfe\xff", ""} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var want string
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		if got := jsonText(s); got != want {
			t.Errorf("jsonText(%q) = %q, want %q (as encoding/json round-trips it)", s, got, want)
		}
	}
}

// TestStageTypesSurviveRowCoder checks that the values the stages pass each other come
// out of Beam's row coder as they went in, as the rows and records encode them.
func TestStageTypesSurviveRowCoder(t *testing.T) {
	dur := 12.5
	sample := annotations.Sample{Key: "k", Video: "a.mp4", Task: annotations.TaskTVG, Query: "q", Question: "Q?",
		Solution: [][2]float64{{0.1, 2}, {3, 4.25}}, Duration: &dur, Format: annotations.FormatMuseg,
		Origin: "f:1", Raw: json.RawMessage(`{"a":1}`), Fixes: []string{"clip: x"}}
	frames := Frames{Paths: []string{"frames/k/000001.jpg"}, Timestamps: []float64{0.033333}, FPS: 0.5, Width: 28, Height: 56}
	row := newRow(annotations.Sample{Key: "k", Raw: json.RawMessage(`"line"`)}, 3, frames) // no fixes: []
	info := media.Info{Container: "avi", AvgFPS: 29.97, Frames: 90}
	for _, v := range []any{
		pending{File: "f", Line: 3, Record: "r", Sample: sample},
		pending{Sample: annotations.Sample{Key: "k"}},
		staged{Row: row, Group: annotations.GroupKey("a.mp4", "q")},
		row,
		VideoRecord{Video: "a.mp4", Key: "a", Samples: 2, Probe: &info, Frames: 1, Stats: media.Stats{Decoded: 4}},
		VideoRecord{Video: "b.mp4", Class: ClassNotFound, Error: "gone"},
	} {
		rt := reflect.TypeOf(v)
		enc, err := coder.RowEncoderForStruct(rt)
		if err != nil {
			t.Fatalf("%v: %v", rt, err)
		}
		dec, err := coder.RowDecoderForStruct(rt)
		if err != nil {
			t.Fatalf("%v: %v", rt, err)
		}
		var buf bytes.Buffer
		if err := enc(v, &buf); err != nil {
			t.Fatalf("%v: encode: %v", rt, err)
		}
		got, err := dec(&buf)
		if err != nil {
			t.Fatalf("%v: decode: %v", rt, err)
		}
		want, _ := json.Marshal(v)
		have, _ := json.Marshal(got)
		if !bytes.Equal(have, want) {
			t.Errorf("%v through the row coder:\n got %s\nwant %s", rt, have, want)
		}
	}
}
