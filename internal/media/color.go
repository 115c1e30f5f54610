package media

import (
	"fmt"

	"github.com/asticode/go-astiav"
)

// ColorMatrix says which YCbCr-to-RGB matrix turns decoded frames into RGB.
type ColorMatrix string

// The colour matrices Sample knows. The range (limited or full) always comes from the
// frame: its color_range tag, or full range for the yuvj pixel formats.
const (
	// ColorAuto uses the stream's matrix tag as FFmpeg does (sws_getCoefficients of the
	// frame's colorspace): BT.709 for BT.709-tagged video, BT.2020 for BT.2020, and
	// BT.601 for untagged video and every other tag. The ffmpeg CLI, decord and
	// torchcodec decode this way.
	ColorAuto ColorMatrix = "auto"
	// ColorBT601 always uses BT.601, whatever the tag: what PyAV 10 (torchvision's video
	// reader) and OpenCV give.
	ColorBT601 ColorMatrix = "bt601"
	// ColorBT709 always uses BT.709, whatever the tag.
	ColorBT709 ColorMatrix = "bt709"
)

// ParseColorMatrix returns the ColorMatrix named s; "" is ColorAuto.
func ParseColorMatrix(s string) (ColorMatrix, error) {
	switch m := ColorMatrix(s); m {
	case "":
		return ColorAuto, nil
	case ColorAuto, ColorBT601, ColorBT709:
		return m, nil
	}
	return "", fmt.Errorf("colour matrix %q: want auto, bt601 or bt709", s)
}

// swsColorspace is the SWS_CS_* (AVColorSpace) value whose coefficients convert a frame
// tagged cs under m.
func (m ColorMatrix) swsColorspace(cs astiav.ColorSpace) int {
	switch m {
	case ColorBT601:
		return int(astiav.ColorSpaceSmpte170M) // SWS_CS_ITU601
	case ColorBT709:
		return int(astiav.ColorSpaceBt709) // SWS_CS_ITU709
	}
	return int(cs) // sws_getCoefficients maps unknown values to SWS_CS_DEFAULT (BT.601)
}

// FrameFormat is the image format sampled frames are encoded in.
type FrameFormat string

// The frame formats Sample writes.
const (
	// FrameJPEG is baseline JPEG, 4:2:0, at Options.JPEGQScale (FFmpeg's mjpeg encoder).
	FrameJPEG FrameFormat = "jpeg"
	// FramePNG is lossless 8-bit RGB PNG: the resized RGB exactly.
	FramePNG FrameFormat = "png"
)

// ParseFrameFormat returns the FrameFormat named s; "" is FrameJPEG.
func ParseFrameFormat(s string) (FrameFormat, error) {
	switch f := FrameFormat(s); f {
	case "":
		return FrameJPEG, nil
	case FrameJPEG, FramePNG:
		return f, nil
	}
	return "", fmt.Errorf("frame format %q: want jpeg or png", s)
}

// Ext is the file extension of the format, without the dot: "jpg" or "png".
func (f FrameFormat) Ext() string {
	if f == FramePNG {
		return "png"
	}
	return "jpg"
}
