package media

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/asticode/go-astiav"
)

// converter turns decoded frames into JPEGs of the plan's size: swscale (bicubic) to
// full-range YUV 4:2:0, rotation in Go, then FFmpeg's mjpeg encoder at a fixed quantiser.
type converter struct {
	width, height int // output size, display orientation
	rotation      int // clockwise degrees: 0, 90, 180, 270
	qscale        int

	sws             *astiav.SoftwareScaleContext
	swsW, swsH      int
	swsFmt          astiav.PixelFormat
	scaled, rotated *astiav.Frame
	enc             *astiav.CodecContext
	pkt             *astiav.Packet
}

// jpegPixelFormat is full-range 4:2:0, the format the mjpeg encoder takes.
const jpegPixelFormat = astiav.PixelFormatYuvj420P

// withConverter allocates a converter for width x height output, calls fn and frees it.
func withConverter(width, height, rotation, qscale int, fn func(c *converter) error) error {
	c := &converter{width: width, height: height, rotation: rotation, qscale: qscale}
	c.scaled = astiav.AllocFrame()
	defer c.scaled.Free()
	c.rotated = astiav.AllocFrame()
	defer c.rotated.Free()
	c.pkt = astiav.AllocPacket()
	defer c.pkt.Free()
	codec := astiav.FindEncoder(astiav.CodecIDMjpeg)
	if codec == nil {
		return fmt.Errorf("%w: this FFmpeg build has no mjpeg encoder", ErrUnsupported)
	}
	c.enc = astiav.AllocCodecContext(codec)
	if c.enc == nil {
		return errors.New("allocating mjpeg encoder failed")
	}
	defer c.enc.Free()
	c.enc.SetWidth(width)
	c.enc.SetHeight(height)
	c.enc.SetPixelFormat(jpegPixelFormat)
	c.enc.SetTimeBase(astiav.NewRational(1, 25))
	setQScale(c.enc, qscale)
	if err := c.enc.Open(codec, nil); err != nil {
		return fmt.Errorf("opening mjpeg encoder: %w", err)
	}
	defer func() {
		if c.sws != nil {
			c.sws.Free() // created by ensureScaler for the current source format
		}
	}()
	return fn(c)
}

// ensureScaler (re)creates the scaler when the source size or format changes.
func (c *converter) ensureScaler(src *astiav.Frame, dstW, dstH int) error {
	if c.sws != nil && c.swsW == src.Width() && c.swsH == src.Height() && c.swsFmt == src.PixelFormat() {
		return nil
	}
	if c.sws != nil {
		c.sws.Free()
		c.sws = nil
	}
	sws, err := astiav.CreateSoftwareScaleContext(src.Width(), src.Height(), src.PixelFormat(), dstW, dstH,
		jpegPixelFormat, astiav.NewSoftwareScaleContextFlags(astiav.SoftwareScaleContextFlagBicubic))
	if err != nil {
		return fmt.Errorf("creating scaler %dx%d %s -> %dx%d: %w", src.Width(), src.Height(), src.PixelFormat().Name(), dstW, dstH, err)
	}
	c.sws, c.swsW, c.swsH, c.swsFmt = sws, src.Width(), src.Height(), src.PixelFormat()
	return nil
}

// jpeg converts one decoded frame and returns the JPEG bytes (a fresh slice).
func (c *converter) jpeg(src *astiav.Frame) ([]byte, error) {
	sw, sh := c.width, c.height
	if c.rotation == 90 || c.rotation == 270 {
		sw, sh = c.height, c.width
	}
	if err := c.ensureScaler(src, sw, sh); err != nil {
		return nil, err
	}
	defer c.scaled.Unref()
	defer c.rotated.Unref()
	if err := allocImage(c.scaled, sw, sh); err != nil {
		return nil, err
	}
	if err := c.sws.ScaleFrame(src, c.scaled); err != nil {
		return nil, fmt.Errorf("scaling frame: %w", err)
	}
	out := c.scaled
	if c.rotation != 0 {
		if err := allocImage(c.rotated, c.width, c.height); err != nil {
			return nil, err
		}
		heights := []int{sh, (sh + 1) / 2, (sh + 1) / 2}
		dstHeights := []int{c.height, (c.height + 1) / 2, (c.height + 1) / 2}
		srcPlanes, srcStrides := planes(c.scaled, 3, heights)
		dstPlanes, dstStrides := planes(c.rotated, 3, dstHeights)
		widths := []int{sw, (sw + 1) / 2, (sw + 1) / 2}
		for i := range 3 {
			rotatePlane(dstPlanes[i], dstStrides[i], srcPlanes[i], srcStrides[i], widths[i], heights[i], c.rotation)
		}
		out = c.rotated
	}
	setFrameQuality(out, c.qscale)
	if err := c.enc.SendFrame(out); err != nil {
		return nil, fmt.Errorf("encoding jpeg: %w", err)
	}
	if err := c.enc.ReceivePacket(c.pkt); err != nil {
		return nil, fmt.Errorf("encoding jpeg: %w", err)
	}
	defer c.pkt.Unref()
	return bytes.Clone(c.pkt.Data()), nil
}

// allocImage gives f a fresh w x h full-range 4:2:0 buffer.
func allocImage(f *astiav.Frame, w, h int) error {
	f.SetWidth(w)
	f.SetHeight(h)
	f.SetPixelFormat(jpegPixelFormat)
	f.SetColorRange(astiav.ColorRangeJpeg)
	if err := f.AllocBuffer(0); err != nil {
		return fmt.Errorf("allocating %dx%d frame: %w", w, h, err)
	}
	return nil
}
