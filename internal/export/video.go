package export

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// VideoInput is the part of a video build data row the trainer row needs.
type VideoInput struct {
	ID       ID          `json:"id"`
	Video    string      `json:"video"`
	Task     string      `json:"task"`
	Question string      `json:"question"`
	Prompt   string      `json:"prompt"` // question + phase instruction: the user text
	Solution [][]float64 `json:"solution"`
	Phase    int         `json:"phase"`
	Duration *float64    `json:"duration"`
	Frames   Frames      `json:"frames"`
}

// Frames are a sample's pre-sampled frames. Paths are relative to the job's output
// prefix; FPS is the sample rate as the trainer sees it (frames per second of video);
// Width and Height are the frames' size in pixels.
type Frames struct {
	Paths         []string  `json:"paths"`
	TimestampsSec []float64 `json:"timestamps"`
	FPS           float64   `json:"fps"`
	Width         int64     `json:"width"`
	Height        int64     `json:"height"`
}

// ID is a sample id given as a JSON string or number; it is kept as text.
type ID string

// UnmarshalJSON accepts a string or a number.
func (id *ID) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*id = ID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("id is neither a string nor a number")
	}
	*id = ID(n.String())
	return nil
}

// DecodeVideo decodes and checks a video build data row: an id, a prompt, phase 1 or 2,
// a solution of [start, end] pairs, and an even, non-zero number of frames with a
// positive fps (qwen-vl-utils needs an even frame count). Anything else is an error
// wrapping ErrBadRow.
func DecodeVideo(row []byte) (VideoInput, error) {
	var in VideoInput
	if err := json.Unmarshal(row, &in); err != nil {
		return in, fmt.Errorf("%w: video row: %v", ErrBadRow, err)
	}
	bad := func(format string, a ...any) (VideoInput, error) {
		return in, fmt.Errorf("%w: video row %q: %s", ErrBadRow, in.ID, fmt.Sprintf(format, a...))
	}
	switch {
	case in.ID == "":
		return bad("no id")
	case in.Prompt == "":
		return bad("no prompt")
	case in.Phase != 1 && in.Phase != 2:
		return bad("phase %d (want 1 or 2)", in.Phase)
	case len(in.Frames.Paths) == 0 || len(in.Frames.Paths)%2 != 0:
		return bad("%d frames (want an even number, at least 2)", len(in.Frames.Paths))
	case !(in.Frames.FPS > 0) || math.IsInf(in.Frames.FPS, 0):
		return bad("frame fps %v (want > 0)", in.Frames.FPS)
	}
	for i, seg := range in.Solution {
		if len(seg) != 2 {
			return bad("solution segment %d has %d numbers (want [start, end])", i, len(seg))
		}
	}
	return in, nil
}

// FramePath returns where the trainer finds a frame: rel prefixed with root (see
// Options.FrameRoot). Absolute paths and URLs ("scheme://...") are returned unchanged.
func FramePath(root, rel string) string {
	if root == "" || strings.HasPrefix(rel, "/") || strings.Contains(rel, "://") {
		return rel
	}
	return strings.TrimSuffix(root, "/") + "/" + strings.TrimPrefix(rel, "./")
}

// FromVideo converts a video build data row into a verl row: one user message
// "<video>" + prompt, one videos entry over the pre-sampled frames (paths rewritten by
// Options.FrameRoot, fps written as both fps and sample_fps), ground truth {solution,
// phase, task, duration} and the label {"branch": "museg", "solution", "phase", "mode"}.
func FromVideo(row []byte, opts Options) (VideoRow, error) {
	mode, err := opts.mode()
	if err != nil {
		return VideoRow{}, err
	}
	in, err := DecodeVideo(row)
	if err != nil {
		return VideoRow{}, err
	}
	paths := framePaths(opts.FrameRoot, in.Frames.Paths)
	pairs := make([][2]float64, len(in.Solution))
	solution := make([][]float64, len(in.Solution))
	for i, seg := range in.Solution {
		pairs[i] = [2]float64{seg[0], seg[1]}
		solution[i] = []float64{seg[0], seg[1]}
	}
	return VideoRow{
		DataSource: "museg",
		Prompt:     []Message{{Role: "user", Content: "<video>" + in.Prompt}},
		Ability:    "video_grounding",
		Videos: []VideoEntry{{
			Video: paths, FPS: in.Frames.FPS, SampleFPS: in.Frames.FPS,
			ResizedHeight: in.Frames.Height, ResizedWidth: in.Frames.Width,
		}},
		RewardModel: VideoReward{Style: "rule", GroundTruth: VideoTruth{
			Solution: solution, Phase: int64(in.Phase), Task: in.Task, Duration: in.Duration,
		}},
		ExtraInfo: VideoExtra{Index: string(in.ID), Split: opts.split(), Video: in.Video, Question: in.Question},
		Label:     Label{Branch: BranchMuseg, Solution: pairs, Phase: in.Phase, Mode: mode}.String(),
	}, nil
}
