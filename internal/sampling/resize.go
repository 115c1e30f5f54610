package sampling

import (
	"errors"
	"fmt"
	"math"
)

// ErrBadSize reports a frame size smart_resize cannot handle: a non-positive side, an
// aspect ratio above MaxAspectRatio, or a result with a zero side.
var ErrBadSize = errors.New("bad frame size")

// FrameMaxPixels returns the per-frame pixel ceiling of qwen-vl-utils' fetch_video for a
// video sampled to nframes frames: max(min(768*28*28, TotalPixels/nframes*2),
// int(MinPixels*1.05)), lowered to Options.MaxPixels when that is set and smaller.
func FrameMaxPixels(nframes int, o Options) (float64, error) {
	o, err := o.withDefaults()
	if err != nil {
		return 0, err
	}
	if nframes <= 0 {
		return 0, fmt.Errorf("frame max pixels: nframes %d must be positive", nframes)
	}
	floor := float64(int(float64(o.MinPixels) * 1.05))
	m := math.Max(math.Min(VideoMaxPixels, float64(o.TotalPixels)/float64(nframes)*FrameFactor), floor)
	if o.MaxPixels > 0 {
		m = math.Min(m, float64(o.MaxPixels))
	}
	return m, nil
}

// SmartResize returns qwen-vl-utils' smart_resize(height, width) with factor 28: each side
// rounded to a multiple of 28 (half to even, at least 28); if the area then exceeds
// maxPixels both sides are scaled down by sqrt(h*w/maxPixels) and floored to 28; if it is
// below minPixels they are scaled up by sqrt(minPixels/(h*w)) and ceiled to 28.
// Sides are returned as (height, width), in that order, like the Python function.
func SmartResize(height, width int, minPixels, maxPixels float64) (int, int, error) {
	if height <= 0 || width <= 0 {
		return 0, 0, fmt.Errorf("smart resize %dx%d: %w", width, height, ErrBadSize)
	}
	if float64(max(height, width))/float64(min(height, width)) > MaxAspectRatio {
		return 0, 0, fmt.Errorf("smart resize %dx%d: aspect ratio above %d: %w", width, height, MaxAspectRatio, ErrBadSize)
	}
	h, w := float64(height), float64(width)
	hBar := max(ImageFactor, roundByFactor(h, ImageFactor))
	wBar := max(ImageFactor, roundByFactor(w, ImageFactor))
	if float64(hBar*wBar) > maxPixels {
		beta := math.Sqrt(h * w / maxPixels)
		hBar = floorByFactor(h/beta, ImageFactor)
		wBar = floorByFactor(w/beta, ImageFactor)
	} else if float64(hBar*wBar) < minPixels {
		beta := math.Sqrt(minPixels / (h * w))
		hBar = ceilByFactor(h*beta, ImageFactor)
		wBar = ceilByFactor(w*beta, ImageFactor)
	}
	if hBar <= 0 || wBar <= 0 {
		return 0, 0, fmt.Errorf("smart resize %dx%d gives %dx%d: %w", width, height, wBar, hBar, ErrBadSize)
	}
	return hBar, wBar, nil
}
