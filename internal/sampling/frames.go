package sampling

import (
	"errors"
	"fmt"
	"math"
)

// ErrTooFewFrames reports a video that cannot be sampled: fewer than FrameFactor (2) frames
// would be taken (qwen-vl-utils raises ValueError there).
var ErrTooFewFrames = errors.New("too few frames to sample")

// NumFrames returns how many frames qwen-vl-utils' smart_nframes takes from a video of
// totalFrames frames at videoFPS average frames per second:
// nframes = total/videoFPS*fps, clamped to [ceil_even(MinFrames), floor_even(MaxFrames)] and
// to totalFrames, then floored to even. A result below 2 is ErrTooFewFrames; a non-positive
// or non-finite videoFPS is an error.
func NumFrames(totalFrames int, videoFPS float64, o Options) (int, error) {
	o, err := o.withDefaults()
	if err != nil {
		return 0, err
	}
	if !(videoFPS > 0) || math.IsInf(videoFPS, 0) {
		return 0, fmt.Errorf("frame count: video fps %v must be positive and finite", videoFPS)
	}
	if totalFrames < 0 {
		return 0, fmt.Errorf("frame count: negative total frames %d", totalFrames)
	}
	minFrames := ceilByFactor(float64(o.MinFrames), FrameFactor)
	maxFrames := floorByFactor(float64(o.MaxFrames), FrameFactor)
	n := float64(totalFrames) / videoFPS * o.FPS
	n = math.Min(math.Min(math.Max(n, float64(minFrames)), float64(maxFrames)), float64(totalFrames))
	nframes := floorByFactor(n, FrameFactor)
	if nframes < FrameFactor || nframes > totalFrames {
		return 0, fmt.Errorf("frame count: %d frames from %d total: %w", nframes, totalFrames, ErrTooFewFrames)
	}
	return nframes, nil
}

// Indices returns torch.linspace(0, totalFrames-1, n).round(): n frame indices spread
// evenly over the video, each rounded half to even. It computes in exact integer
// arithmetic. (With even n, as NumFrames always gives, no index is an exact tie; torch
// computes in float32, which for videos of many thousands of frames can, rarely, round a
// value lying within float32 error of .5 the other way.) n <= 0 gives nil; n == 1 gives [0].
func Indices(totalFrames, n int) []int {
	if n <= 0 || totalFrames <= 0 {
		return nil
	}
	if n == 1 {
		return []int{0}
	}
	out := make([]int, n)
	span := int64(totalFrames - 1)
	den := int64(n - 1)
	for i := range out {
		num := int64(i) * span
		q, r := num/den, num%den
		switch {
		case 2*r > den:
			q++
		case 2*r == den && q%2 == 1:
			q++
		}
		out[i] = int(q)
	}
	return out
}

// SampleFPS returns the frame rate the trainer sees: nframes / totalFrames * videoFPS
// (0 when totalFrames is 0).
func SampleFPS(nframes, totalFrames int, videoFPS float64) float64 {
	if totalFrames <= 0 {
		return 0
	}
	return float64(nframes) / float64(totalFrames) * videoFPS
}
