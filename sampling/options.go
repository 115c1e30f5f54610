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
	// DefaultMaxFramesCap is FPS_MAX_FRAMES, the cap used when Options.MaxFrames is 0.
	DefaultMaxFramesCap = 768
	// VideoMaxPixels is VIDEO_MAX_PIXELS (768*28*28), the upper bound of per-frame max pixels.
	VideoMaxPixels = 768 * 28 * 28
	// MaxAspectRatio is MAX_RATIO: smart_resize rejects frames whose long side exceeds
	// 200 times the short side.
	MaxAspectRatio = 200
)

// Options are the per-video sampling settings of qwen-vl-utils (the keys of a "video"
// message element). Zero fields take the qwen-vl-utils defaults noted on each field;
// Museg returns the values MUSEG trains with.
type Options struct {
	// FPS is the target sampling rate in frames per second (default 2.0).
	FPS float64
	// MinFrames is the lower bound of the frame count before clamping (default 4).
	MinFrames int
	// MaxFrames is the upper bound of the frame count (0: min(768, total frames)).
	MaxFrames int
	// MinPixels is the per-frame lower bound of height*width (default 128*28*28 = 100352).
	MinPixels int
	// TotalPixels is the pixel budget for all frames of a video (default 128000*28*28*0.9 =
	// 90316800, VIDEO_TOTAL_PIXELS without the environment override).
	TotalPixels int
	// MaxPixels, when positive, lowers the per-frame max pixels further (the "max_pixels" key);
	// it can never raise it.
	MaxPixels int
}

// Museg returns the options of MUSEG's training: fps 2, at most 448 frames,
// min pixels 16*28*28 = 12544, total pixels 3584*28*28 = 2809856.
func Museg() Options {
	return Options{FPS: 2, MinFrames: 4, MaxFrames: 448, MinPixels: 16 * 28 * 28, TotalPixels: 3584 * 28 * 28}
}

// withDefaults fills zero fields with the qwen-vl-utils defaults and rejects negative ones.
func (o Options) withDefaults() (Options, error) {
	if o.FPS < 0 || o.MinFrames < 0 || o.MaxFrames < 0 || o.MinPixels < 0 || o.TotalPixels < 0 || o.MaxPixels < 0 {
		return o, fmt.Errorf("sampling options: negative value in %+v", o)
	}
	if o.FPS == 0 {
		o.FPS = 2
	}
	if o.MinFrames == 0 {
		o.MinFrames = DefaultMinFrames
	}
	if o.MinPixels == 0 {
		o.MinPixels = 128 * 28 * 28
	}
	if o.TotalPixels == 0 {
		o.TotalPixels = 90316800
	}
	return o, nil
}
