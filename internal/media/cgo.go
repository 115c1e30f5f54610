package media

// The few fields go-astiav v0.38.0 does not expose, read and set through the same
// FFmpeg headers go-astiav compiles against.

//#cgo pkg-config: libavcodec libavutil
//#include <libavcodec/avcodec.h>
import "C"

import (
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
