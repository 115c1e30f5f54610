package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"

	"github.com/asticode/go-astiav"
)

// converter turns decoded frames into images of the plan's size, the way a trainer's
// decoder and qwen-vl-utils would: swscale to RGB24 at the coded size under the chosen
// colour matrix, the display rotation, torchvision's antialiased bicubic resize in RGB
// (resampleRGB), then JPEG (FFmpeg's mjpeg encoder at a fixed quantiser) or PNG.
type converter struct {
	width, height int // output size, display orientation
	rotation      int // clockwise degrees: 0, 90, 180, 270
	qscale        int
	matrix        ColorMatrix
	format        FrameFormat

	sws          *rgbScaler
	rgb, rotated []byte // coded-size and display-size RGB24 of the current frame
	out          []byte // output-size RGB24
	yuv          *astiav.Frame
	enc          *astiav.CodecContext
	pkt          *astiav.Packet
}

// jpegPixelFormat is full-range 4:2:0, the format the mjpeg encoder takes.
const jpegPixelFormat = astiav.PixelFormatYuvj420P

// withConverter allocates a converter for width x height output, calls fn and frees it.
func withConverter(width, height, rotation, qscale int, matrix ColorMatrix, format FrameFormat, fn func(c *converter) error) error {
	c := &converter{width: width, height: height, rotation: rotation, qscale: qscale, matrix: matrix, format: format}
	c.out = make([]byte, width*height*3)
	defer func() { c.sws.free() }() // created by ensureScaler for the current source format
	if format == FramePNG {
		return fn(c)
	}
	c.yuv = astiav.AllocFrame()
	defer c.yuv.Free()
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
	return fn(c)
}

// ensureScaler (re)creates the RGB scaler when the source size or format changes, and
// sets the colour matrix and range of src on it.
func (c *converter) ensureScaler(src *astiav.Frame) error {
	s := c.sws
	if s == nil || s.w != src.Width() || s.h != src.Height() || s.fmt != src.PixelFormat() {
		c.sws.free()
		c.sws = nil
		var err error
		if s, err = newRGBScaler(src.Width(), src.Height(), src.PixelFormat()); err != nil {
			return err
		}
		c.sws = s
	}
	return s.setColor(c.matrix.swsColorspace(src.ColorSpace()), fullRange(src))
}

// fullRange reports whether src's samples are full range (JPEG): its color_range tag, or
// a yuvj pixel format when the tag is unspecified (as swscale assumes).
func fullRange(src *astiav.Frame) bool {
	switch src.ColorRange() {
	case astiav.ColorRangeJpeg:
		return true
	case astiav.ColorRangeUnspecified:
		switch src.PixelFormat() {
		case astiav.PixelFormatYuvj420P, astiav.PixelFormatYuvj422P, astiav.PixelFormatYuvj444P, astiav.PixelFormatYuvj440P, astiav.PixelFormatYuvj411P:
			return true
		}
	}
	return false
}

// rgbFrame converts src to RGB24 in display orientation and resizes it into c.out.
func (c *converter) rgbFrame(src *astiav.Frame) error {
	if err := c.ensureScaler(src); err != nil {
		return err
	}
	w, h := src.Width(), src.Height()
	c.rgb = grow(c.rgb, w*h*3)
	if err := c.sws.scale(src, c.rgb, w*3); err != nil {
		return err
	}
	pix, stride := c.rgb, w*3
	if c.rotation != 0 {
		dw := w
		if c.rotation != 180 {
			w, h, dw = h, w, h
		}
		c.rotated = grow(c.rotated, w*h*3)
		rotatePlane(c.rotated, dw*3, c.rgb, stride, src.Width(), src.Height(), 3, c.rotation)
		pix, stride = c.rotated, dw*3
	}
	resampleRGB(c.out, c.width, c.height, pix, stride, w, h)
	return nil
}

// grow returns b resized to n bytes, reusing its memory when it is large enough.
func grow(b []byte, n int) []byte {
	if cap(b) >= n {
		return b[:n]
	}
	return make([]byte, n)
}

// encode converts one decoded frame and returns it encoded in the converter's format
// (a fresh slice).
func (c *converter) encode(src *astiav.Frame) ([]byte, error) {
	if err := c.rgbFrame(src); err != nil {
		return nil, err
	}
	if c.format == FramePNG {
		return c.png()
	}
	return c.jpeg()
}

// png encodes c.out as an 8-bit RGB PNG.
func (c *converter) png() ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, c.width, c.height))
	for i, j := 0, 0; i < len(c.out); i, j = i+3, j+4 {
		img.Pix[j], img.Pix[j+1], img.Pix[j+2], img.Pix[j+3] = c.out[i], c.out[i+1], c.out[i+2], 255
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encoding png: %w", err)
	}
	return buf.Bytes(), nil
}

// jpeg converts c.out to full-range BT.601 YCbCr 4:2:0 (JFIF, what every JPEG decoder
// assumes) and encodes it.
func (c *converter) jpeg() ([]byte, error) {
	defer c.yuv.Unref()
	if err := allocImage(c.yuv, c.width, c.height); err != nil {
		return nil, err
	}
	ch := (c.height + 1) / 2
	p, strides := planes(c.yuv, 3, []int{c.height, ch, ch})
	rgbToJFIF(p, strides, c.out, c.width, c.height)
	setFrameQuality(c.yuv, c.qscale)
	if err := c.enc.SendFrame(c.yuv); err != nil {
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
