package sampling

import "fmt"

// Constants of qwen-vl-utils 0.0.10 (vision_process.py).
const (
	// ImageFactor is the side granularity in pixels: every output side is a multiple of it.
	ImageFactor = 28
	// FrameFactor is the frame-count granularity: frame counts are multiples of it.
	FrameFactor = 2
	// DefaultMinFrames is FPS_MIN_FRAMES.
	DefaultMinFrames = 4
	// DefaultMaxFramesCap is FPS_MAX_FRAMES, qwen-vl-utils' own frame cap.
	DefaultMaxFramesCap = 768
	// VideoMaxPixels is VIDEO_MAX_PIXELS (768*28*28), the upper bound of per-frame max pixels.
	VideoMaxPixels = 768 * 28 * 28
	// MaxAspectRatio is MAX_RATIO: smart_resize rejects frames whose long side exceeds
	// 200 times the short side.
	MaxAspectRatio = 200
)

// Options are the per-video sampling settings of qwen-vl-utils (the keys of a "video"
// message element). Zero fields take MUSEG's training values, noted on each field (which
// are also what Museg returns); QwenDefaults gives the library's own defaults.
type Options struct {
	// FPS is the target sampling rate in frames per second (default 2).
	FPS float64
	// MinFrames is the lower bound of the frame count before clamping (default 4).
	MinFrames int
	// MaxFrames is the upper bound of the frame count (default 448). The library's own
	// default, floor_even(min(768, total frames)), gives the same counts as 768.
	MaxFrames int
	// MinPixels is the per-frame lower bound of height*width (default 16*28*28 = 12544).
	MinPixels int
	// TotalPixels is the pixel budget for all frames of a video (default 3584*28*28 = 2809856).
	TotalPixels int
	// MaxPixels, when positive, lowers the per-frame max pixels further (the "max_pixels" key);
	// it can never raise it.
	MaxPixels int
}

// Museg returns the options of MUSEG's training: fps 2, at most 448 frames,
// min pixels 16*28*28 = 12544, total pixels 3584*28*28 = 2809856 (the zero Options
// means the same).
func Museg() Options {
	return Options{FPS: 2, MinFrames: 4, MaxFrames: 448, MinPixels: 16 * 28 * 28, TotalPixels: 3584 * 28 * 28}
}

// QwenDefaults returns qwen-vl-utils 0.0.10's own defaults: fps 2, 4 to 768 frames,
// min pixels 128*28*28 = 100352, total pixels int(128000*28*28*0.9) = 90316800.
func QwenDefaults() Options {
	return Options{FPS: 2, MinFrames: 4, MaxFrames: DefaultMaxFramesCap, MinPixels: 128 * 28 * 28, TotalPixels: 90316800}
}

// withDefaults fills zero fields with MUSEG's values and rejects negative ones.
func (o Options) withDefaults() (Options, error) {
	if o.FPS < 0 || o.MinFrames < 0 || o.MaxFrames < 0 || o.MinPixels < 0 || o.TotalPixels < 0 || o.MaxPixels < 0 {
		return o, fmt.Errorf("sampling options: negative value in %+v", o)
	}
	m := Museg()
	if o.FPS == 0 {
		o.FPS = m.FPS
	}
	if o.MinFrames == 0 {
		o.MinFrames = m.MinFrames
	}
	if o.MaxFrames == 0 {
		o.MaxFrames = m.MaxFrames
	}
	if o.MinPixels == 0 {
		o.MinPixels = m.MinPixels
	}
	if o.TotalPixels == 0 {
		o.TotalPixels = m.TotalPixels
	}
	return o, nil
}
