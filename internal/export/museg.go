package export

import (
	"fmt"
	"strings"
)

// MusegRow is a row of MUSEG's released trainer (THUNLP-MT/MUSEG, src/train.py and
// src/trainer.py), one JSON line. The trainer loads the file with datasets'
// Dataset.from_json, wraps Problem in its own question template, copies Video into the
// qwen-vl-utils video dict of the prompt, and hands Problem, Solution, Task and Idx to
// its reward functions (Idx only for logging). Video is the list of pre-sampled frame
// paths, which qwen-vl-utils accepts in place of a video file; Duration, FPS and
// SampleFPS are read by nothing in the released code (qwen-vl-utils 0.0.10 assumes 2.0
// frames per second for a frame list; see docs/trainers.md).
type MusegRow struct {
	Idx       int64       `json:"idx"`
	Problem   string      `json:"problem"`
	Solution  [][]float64 `json:"solution"`
	Video     []string    `json:"video"`
	Duration  *float64    `json:"duration"`
	Task      string      `json:"task"`
	FPS       float64     `json:"fps"`
	SampleFPS float64     `json:"sample_fps"`
	ID        string      `json:"id"` // the sample id of the data row
}

// FromMuseg converts a video build data row into a MUSEG row with integer index idx:
// the question (without rlcurate's phase instruction: the trainer adds its own
// template), the segments, the frame paths (rewritten by Options.FrameRoot), the
// duration (null when unknown), the task and the frames' sample rate. A row without
// question is an error wrapping ErrBadRow.
func FromMuseg(row []byte, opts Options, idx int64) (MusegRow, error) {
	in, err := DecodeVideo(row)
	if err != nil {
		return MusegRow{}, err
	}
	if strings.TrimSpace(in.Question) == "" {
		return MusegRow{}, fmt.Errorf("%w: video row %q: no question", ErrBadRow, in.ID)
	}
	solution := make([][]float64, len(in.Solution))
	for i, seg := range in.Solution {
		solution[i] = []float64{seg[0], seg[1]}
	}
	return MusegRow{
		Idx: idx, Problem: in.Question, Solution: solution, Video: framePaths(opts.FrameRoot, in.Frames.Paths),
		Duration: in.Duration, Task: in.Task, FPS: in.Frames.FPS, SampleFPS: in.Frames.FPS, ID: string(in.ID),
	}, nil
}

// framePaths rewrites paths with FramePath.
func framePaths(root string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = FramePath(root, p)
	}
	return out
}
