package media

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/asticode/go-astiav"
)

// Probe describes the video at path from its headers and one demux-only pass over its
// packets (no decoding). It fails with an error wrapping ErrNotFound, ErrInvalid,
// ErrNoVideo, ErrUnsupported, ErrTruncated, ErrCorrupt or ErrTimeout; a video with no
// frame at all is ErrCorrupt. lim bounds the pass (zero value: the defaults).
func Probe(ctx context.Context, path string, lim Limits) (Info, error) {
	ctx, cancel := withDeadline(ctx, lim)
	defer cancel()
	var info Info
	err := withInput(ctx, path, func(fc *astiav.FormatContext, st *astiav.Stream) error {
		info = streamInfo(fc, st)
		ix, err := readIndex(ctx, fc, st, lim)
		if err != nil {
			return err
		}
		if err := ix.check(info); err != nil {
			return err
		}
		ix.describe(&info)
		return nil
	})
	if err != nil {
		return Info{}, fmt.Errorf("probe %s: %w", path, err)
	}
	return info, nil
}

// streamInfo reads what the headers say.
func streamInfo(fc *astiav.FormatContext, st *astiav.Stream) Info {
	cp := st.CodecParameters()
	tb := st.TimeBase().Float64()
	info := Info{
		Container:   fc.InputFormat().Name(),
		StreamIndex: st.Index(),
		Codec:       cp.CodecID().Name(),
		Width:       cp.Width(),
		Height:      cp.Height(),
		AvgFPS:      rate(st.AvgFrameRate()),
		RealFPS:     rate(st.RFrameRate()),
	}
	if pf := cp.PixelFormat(); pf != astiav.PixelFormatNone {
		info.PixelFormat = pf.Name()
	}
	if d := fc.Duration(); d != astiav.NoPtsValue && d > 0 {
		info.DurationSec = float64(d) / float64(astiav.TimeBase)
	}
	if s := fc.StartTime(); s != astiav.NoPtsValue {
		info.StartSec = float64(s) / float64(astiav.TimeBase)
	}
	if d := st.Duration(); d != astiav.NoPtsValue && d > 0 {
		info.StreamDurationSec = float64(d) * tb
	}
	if s := st.StartTime(); s != astiav.NoPtsValue {
		info.StreamStartSec = float64(s) * tb
	}
	if n := st.NbFrames(); n > 0 {
		info.HeaderFrames = int(n)
	}
	if m, ok := cp.SideData().DisplayMatrix().Get(); ok {
		info.Rotation = quarterTurns(m.Rotation())
	}
	info.DisplayWidth, info.DisplayHeight = info.Width, info.Height
	if info.Rotation == 90 || info.Rotation == 270 {
		info.DisplayWidth, info.DisplayHeight = info.Height, info.Width
	}
	return info
}

// rate converts a frame rate to a float, 0 for an unset (0/x or x/0) rate.
func rate(r astiav.Rational) float64 {
	if r.Num() <= 0 || r.Den() <= 0 {
		return 0
	}
	return r.Float64()
}

// quarterTurns rounds a clockwise angle in degrees to 0, 90, 180 or 270.
func quarterTurns(deg float64) int {
	if math.IsNaN(deg) || math.IsInf(deg, 0) {
		return 0
	}
	q := int(math.Round(deg/90)) % 4
	if q < 0 {
		q += 4
	}
	return q * 90
}

// check rejects streams the demux pass shows to be unusable.
func (ix *index) check(info Info) error {
	if len(ix.order) == 0 {
		return fmt.Errorf("%w: video stream %d has no frames", ErrCorrupt, info.StreamIndex)
	}
	if len(ix.order) == 1 && isImageCodec(info.Codec) {
		return fmt.Errorf("%w: stream %d is a single %s picture (cover art)", ErrNoVideo, info.StreamIndex, info.Codec)
	}
	if ix.corrupted > 0 {
		return fmt.Errorf("%w: %d of %d video packets are incomplete", ErrTruncated, ix.corrupted, len(ix.packets))
	}
	if info.HeaderFrames > 0 && len(ix.packets) < info.HeaderFrames {
		return fmt.Errorf("%w: read %d of the %d video packets the index lists", ErrTruncated, len(ix.packets), info.HeaderFrames)
	}
	return nil
}

func isImageCodec(name string) bool {
	switch strings.ToLower(name) {
	case "mjpeg", "png", "bmp", "gif", "webp", "tiff":
		return true
	}
	return false
}

// describe fills the fields of info that come from the packets.
func (ix *index) describe(info *Info) {
	info.Frames = len(ix.order)
	info.NoTimestamps = ix.noPTS
	tb := ix.timeBase.Float64()
	if !ix.noPTS && len(ix.order) > 0 {
		info.FirstFrameSec = float64(ix.packets[ix.order[0]].pts) * tb
		info.LastFrameSec = float64(ix.packets[ix.order[len(ix.order)-1]].pts) * tb
		info.VariableFrameRate = ix.variableRate()
	}
	// Keyframe spacing in presentation order (frame indices), so that the leading pictures
	// an open GOP decodes after its keyframe do not count.
	last := -1
	for k, d := range ix.order {
		if !ix.packets[d].key {
			continue
		}
		info.Keyframes++
		if last >= 0 {
			info.MaxKeyframeInterval = max(info.MaxKeyframeInterval, k-last)
		}
		last = k
	}
	if last < 0 {
		info.MaxKeyframeInterval = len(ix.order)
	} else {
		info.MaxKeyframeInterval = max(info.MaxKeyframeInterval, len(ix.order)-last)
	}
}

// variableRate reports frame gaps (in pts ticks) that vary by more than two ticks and
// more than 5% of the mean gap.
func (ix *index) variableRate() bool {
	if len(ix.order) < 3 {
		return false
	}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for k := 1; k < len(ix.order); k++ {
		g := ix.packets[ix.order[k]].pts - ix.packets[ix.order[k-1]].pts
		lo, hi = min(lo, g), max(hi, g)
	}
	span := ix.packets[ix.order[len(ix.order)-1]].pts - ix.packets[ix.order[0]].pts
	mean := float64(span) / float64(len(ix.order)-1)
	return hi-lo > 2 && float64(hi-lo) > 0.05*mean
}
