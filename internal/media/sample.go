package media

import (
	"context"
	"fmt"
	"runtime"

	"github.com/asticode/go-astiav"
)

// DefaultJPEGQScale is the JPEG quantiser used when Options.JPEGQScale is 0 (ffmpeg -q:v 2,
// the best quality of the usual 2-31 range).
const DefaultJPEGQScale = 2

// Plan says which frames Sample keeps and at what size (package sampling computes it).
type Plan struct {
	// Indices are frame indices in presentation order (0 = first frame), ascending;
	// repeats are allowed and produce one callback each.
	Indices []int `json:"indices"`
	// Width and Height are the output size in pixels, in display orientation (after
	// rotation), both positive.
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Options tune Sample.
type Options struct {
	Limits
	// Threads is the decoder thread count (0: one per CPU core, at most maxAutoThreads).
	// FFmpeg's own automatic count is one more than the cores, which measured slower and
	// costlier in CPU on 2 cores (docs/benchmarks.md).
	Threads int
	// JPEGQScale is the JPEG quantiser, 2 (best) to 31, like ffmpeg -q:v (0: DefaultJPEGQScale).
	JPEGQScale int
	// FullDecode sends every packet to the decoder: no skipping of non-reference frames
	// and no jumping between keyframes. Slower; the reference the fast path is tested against.
	FullDecode bool
	// ColorMatrix is the YCbCr-to-RGB matrix ("": ColorAuto, the stream's tag).
	ColorMatrix ColorMatrix
	// Format is the image format of the frames ("": FrameJPEG).
	Format FrameFormat
}

// maxAutoThreads caps the automatic decoder thread count, as FFmpeg caps its own.
const maxAutoThreads = 16

// threads is the decoder thread count Options asks for.
func (o Options) threads() int {
	if o.Threads > 0 {
		return o.Threads
	}
	return min(runtime.NumCPU(), maxAutoThreads)
}

// FrameFunc receives one sampled frame: i is its position in Plan.Indices, ptsSec its
// presentation time in seconds from the first frame of the video, image the encoded frame
// in Options.Format (owned by the callee). A non-nil error stops Sample, which returns it.
type FrameFunc func(i int, ptsSec float64, image []byte) error

// Stats counts the work of one Sample call.
type Stats struct {
	// Packets is the number of video packets in the file.
	Packets int `json:"packets"`
	// Sent is the number of packets sent to the decoder.
	Sent int `json:"sent"`
	// SkippedNonRef counts non-reference packets not sent (inside a needed range).
	SkippedNonRef int `json:"skipped_non_ref"`
	// SkippedOutside counts packets outside every needed range.
	SkippedOutside int `json:"skipped_outside"`
	// Resets counts decoder drains and flushes between ranges (the seeks).
	Resets int `json:"resets"`
	// Decoded is the number of frames out of the decoder.
	Decoded int `json:"decoded"`
	// Emitted is the number of callbacks made.
	Emitted int `json:"emitted"`
	// DecodeErrors counts packets the decoder rejected (decoding went on).
	DecodeErrors int `json:"decode_errors"`
}

// Sample decodes the video at path once and calls fn for each frame of plan, in
// presentation order, as a JPEG or PNG (Options.Format) of plan.Width x plan.Height:
// converted to RGB under Options.ColorMatrix, turned by the display rotation, then
// resized as qwen-vl-utils does (torchvision's antialiased bicubic, in RGB; the aspect
// ratio is not preserved). Frames are identified by their pts against a demux pass, so skipping
// packets cannot shift indices. Errors wrap the sentinels of Probe, ErrPlan for a plan
// that does not fit the video, and ErrCorrupt when target frames cannot be decoded; fn
// may have been called for some frames before an error.
func Sample(ctx context.Context, path string, plan Plan, opts Options, fn FrameFunc) (Stats, error) {
	ctx, cancel := withDeadline(ctx, opts.Limits)
	defer cancel()
	var (
		ix   *index
		info Info
	)
	err := withInput(ctx, path, func(fc *astiav.FormatContext, st *astiav.Stream) error {
		info = streamInfo(fc, st)
		var err error
		if ix, err = readIndex(ctx, fc, st, opts.Limits); err != nil {
			return err
		}
		return ix.check(info)
	})
	if err != nil {
		return Stats{}, fmt.Errorf("sample %s: %w", path, err)
	}
	targets, err := plan.targets(len(ix.order))
	if err != nil {
		return Stats{}, fmt.Errorf("sample %s: %w", path, err)
	}
	d := &decoder{ix: ix, plan: plan, targets: targets, fn: fn, opts: opts, sched: newSchedule(ix, targets, opts.FullDecode)}
	d.stats.Packets = len(ix.packets)
	qscale := opts.JPEGQScale
	if qscale == 0 {
		qscale = DefaultJPEGQScale
	}
	matrix, err := ParseColorMatrix(string(opts.ColorMatrix))
	if err != nil {
		return Stats{}, fmt.Errorf("sample %s: %w", path, err)
	}
	format, err := ParseFrameFormat(string(opts.Format))
	if err != nil {
		return Stats{}, fmt.Errorf("sample %s: %w", path, err)
	}
	err = withInput(ctx, path, func(fc *astiav.FormatContext, st *astiav.Stream) error {
		return withConverter(plan.Width, plan.Height, info.Rotation, qscale, matrix, format, func(c *converter) error {
			d.conv = c
			return d.run(ctx, fc, st)
		})
	})
	if err != nil {
		return d.stats, fmt.Errorf("sample %s: %w", path, err)
	}
	return d.stats, nil
}

// targets validates the plan against a video of frames frames and marks its indices.
func (p Plan) targets(frames int) ([]bool, error) {
	if p.Width <= 0 || p.Height <= 0 {
		return nil, fmt.Errorf("%w: size %dx%d", ErrPlan, p.Width, p.Height)
	}
	if p.Width%2 != 0 || p.Height%2 != 0 {
		return nil, fmt.Errorf("%w: size %dx%d is not even", ErrPlan, p.Width, p.Height)
	}
	t := make([]bool, frames)
	for i, k := range p.Indices {
		if k < 0 || k >= frames {
			return nil, fmt.Errorf("%w: index %d (position %d) outside the %d frames", ErrPlan, k, i, frames)
		}
		if i > 0 && k < p.Indices[i-1] {
			return nil, fmt.Errorf("%w: indices not ascending at position %d", ErrPlan, i)
		}
		t[k] = true
	}
	return t, nil
}
