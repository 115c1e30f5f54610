package sampling

import "fmt"

// Plan is what the decoder needs to sample one video the way qwen-vl-utils does.
type Plan struct {
	// Indices are the frame indices to keep, in presentation order, ascending (possibly
	// with repeats when the video has fewer frames than the sampler asks for; NumFrames
	// never asks for more frames than exist, so repeats do not occur in practice).
	Indices []int `json:"indices"`
	// SampleFPS is nframes / totalFrames * videoFPS, the rate the trainer is told.
	SampleFPS float64 `json:"sample_fps"`
	// Width and Height are the output frame size in pixels (multiples of 28).
	Width  int `json:"width"`
	Height int `json:"height"`
}

// NewPlan computes the Plan for a video of totalFrames frames at videoFPS (its average
// frame rate) whose displayed frames are width x height pixels (after rotation, if the
// decoder applies it). Errors wrap ErrTooFewFrames or ErrBadSize when the video cannot be
// sampled.
func NewPlan(totalFrames int, videoFPS float64, width, height int, o Options) (Plan, error) {
	n, err := NumFrames(totalFrames, videoFPS, o)
	if err != nil {
		return Plan{}, fmt.Errorf("plan: %w", err)
	}
	o, err = o.withDefaults()
	if err != nil {
		return Plan{}, fmt.Errorf("plan: %w", err)
	}
	maxPixels, err := FrameMaxPixels(n, o)
	if err != nil {
		return Plan{}, fmt.Errorf("plan: %w", err)
	}
	h, w, err := SmartResize(height, width, float64(o.MinPixels), maxPixels)
	if err != nil {
		return Plan{}, fmt.Errorf("plan: %w", err)
	}
	return Plan{
		Indices:   Indices(totalFrames, n),
		SampleFPS: SampleFPS(n, totalFrames, videoFPS),
		Width:     w,
		Height:    h,
	}, nil
}
