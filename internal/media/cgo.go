package media

// The few fields go-astiav v0.38.0 does not expose, read and set through the same
// FFmpeg headers go-astiav compiles against.

//#cgo pkg-config: libavcodec libavutil libswscale
//#include <libavcodec/avcodec.h>
//#include <libswscale/swscale.h>
//
// // rgb_scale converts the whole of src into one packed plane at dst (rows stride bytes
// // apart); the plane pointer array lives here, in C, as cgo requires.
// static int rgb_scale(struct SwsContext *c, const AVFrame *src, uint8_t *dst, int stride) {
//     uint8_t *d[4] = {dst, NULL, NULL, NULL};
//     int ls[4] = {stride, 0, 0, 0};
//     return sws_scale(c, (const uint8_t *const *)src->data, src->linesize, 0, src->height, d, ls);
// }
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/asticode/go-astiav"
)

// flushDecoder resets a decoder after draining, so it accepts packets again
// (avcodec_flush_buffers).
func flushDecoder(cc *astiav.CodecContext) {
	C.avcodec_flush_buffers((*C.AVCodecContext)(cc.UnsafePointer()))
}

// bestEffortPTS returns the frame's best_effort_timestamp.
func bestEffortPTS(f *astiav.Frame) int64 {
	return int64((*C.AVFrame)(f.UnsafePointer()).best_effort_timestamp)
}

// setQScale makes an encoder use the fixed quantiser q (like ffmpeg -q:v q).
func setQScale(cc *astiav.CodecContext, q int) {
	c := (*C.AVCodecContext)(cc.UnsafePointer())
	c.flags |= C.AV_CODEC_FLAG_QSCALE
	c.global_quality = C.int(q * C.FF_QP2LAMBDA)
}

// setFrameQuality sets the per-frame quantiser q on f for an encoder in qscale mode.
func setFrameQuality(f *astiav.Frame, q int) {
	(*C.AVFrame)(f.UnsafePointer()).quality = C.int(q * C.FF_QP2LAMBDA)
}

// planes returns the first n data planes of a frame with their line sizes.
func planes(f *astiav.Frame, n int, heights []int) ([][]byte, []int) {
	c := (*C.AVFrame)(f.UnsafePointer())
	data := make([][]byte, n)
	strides := make([]int, n)
	for i := 0; i < n; i++ {
		strides[i] = int(c.linesize[i])
		data[i] = unsafe.Slice((*byte)(unsafe.Pointer(c.data[i])), strides[i]*heights[i])
	}
	return data, strides
}

// setPktTimeBase tells the decoder the time base of the packets it receives.
func setPktTimeBase(cc *astiav.CodecContext, r astiav.Rational) {
	c := (*C.AVCodecContext)(cc.UnsafePointer())
	c.pkt_timebase = C.AVRational{num: C.int(r.Num()), den: C.int(r.Den())}
}

// rgbScaler is a libswscale context converting frames of one size and pixel format to
// packed RGB24 of the same size. go-astiav v0.38.0 has no sws_setColorspaceDetails, so
// the context is driven here.
type rgbScaler struct {
	c          *C.struct_SwsContext
	w, h       int
	fmt        astiav.PixelFormat
	colorspace int  // SWS_CS_* value of the coefficients in use (-1: not set yet)
	fullRange  bool // source range in use
}

// rgbScalerFlags are the ffmpeg CLI's default swscale flags (bicubic); with no scaling
// they choose the same YUV-to-RGB path the CLI takes.
const rgbScalerFlags = C.SWS_BICUBIC

// newRGBScaler allocates a scaler from w x h frames of pixel format pf to RGB24; the
// caller frees it with free.
func newRGBScaler(w, h int, pf astiav.PixelFormat) (*rgbScaler, error) {
	c := C.sws_getContext(C.int(w), C.int(h), C.enum_AVPixelFormat(pf), C.int(w), C.int(h),
		C.AV_PIX_FMT_RGB24, rgbScalerFlags, nil, nil, nil)
	if c == nil {
		return nil, fmt.Errorf("%w: no conversion of %dx%d %s to RGB", ErrUnsupported, w, h, pf.Name())
	}
	return &rgbScaler{c: c, w: w, h: h, fmt: pf, colorspace: -1}, nil
}

// free releases the context (sws_freeContext); nil-safe.
func (s *rgbScaler) free() {
	if s != nil && s.c != nil {
		C.sws_freeContext(s.c)
		s.c = nil
	}
}

// setColor makes the scaler use the coefficients of SWS_CS_* colorspace and the given
// source range, as FFmpeg's scale filter does: the destination table is the same, the
// destination range is RGB's (full), brightness, contrast and saturation untouched.
func (s *rgbScaler) setColor(colorspace int, fullRange bool) error {
	if s.colorspace == colorspace && s.fullRange == fullRange {
		return nil
	}
	var inv, table *C.int
	var srcRange, dstRange, brightness, contrast, saturation C.int
	if C.sws_getColorspaceDetails(s.c, &inv, &srcRange, &table, &dstRange, &brightness, &contrast, &saturation) < 0 {
		return fmt.Errorf("%w: %s has no colour details", ErrUnsupported, s.fmt.Name())
	}
	coeffs := C.sws_getCoefficients(C.int(colorspace))
	full := C.int(0)
	if fullRange {
		full = 1
	}
	if C.sws_setColorspaceDetails(s.c, coeffs, full, coeffs, dstRange, brightness, contrast, saturation) < 0 {
		return fmt.Errorf("%w: cannot set colour matrix %d on %s", ErrUnsupported, colorspace, s.fmt.Name())
	}
	s.colorspace, s.fullRange = colorspace, fullRange
	return nil
}

// scale converts f (of the scaler's size and format) into dst, w x h RGB24 pixels with
// rows stride bytes apart.
func (s *rgbScaler) scale(f *astiav.Frame, dst []byte, stride int) error {
	if len(dst) < stride*s.h {
		return fmt.Errorf("rgb buffer of %d bytes for %dx%d", len(dst), s.w, s.h)
	}
	n := C.rgb_scale(s.c, (*C.AVFrame)(f.UnsafePointer()), (*C.uint8_t)(unsafe.Pointer(&dst[0])), C.int(stride))
	if n != C.int(s.h) {
		return fmt.Errorf("converting %dx%d %s to RGB: %d rows of %d", s.w, s.h, s.fmt.Name(), int(n), s.h)
	}
	return nil
}
