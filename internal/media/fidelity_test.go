package media

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"testing"

	"github.com/rlcurate/rlcurate/internal/media/mediatest"
)

// Fidelity targets of issue 16: worst-frame luma PSNR against the independent reference.
const (
	minJPEGPSNR = 40.0
	minPNGPSNR  = 45.0
	// maxOtherPSNR bounds the PSNR against a reference decoded under another matrix: the
	// test videos' colours must tell the matrices apart, or the targets prove nothing.
	maxOtherPSNR = 35.0
)

// TestSampleFidelity compares Sample's frames, in JPEG and PNG, with what a trainer's
// decoder gives for the same frame indices: Debian's ffmpeg decoding them to RGB24 under
// the matching colour matrix, then torchvision's antialiased bicubic resize (mediatest's
// Reference). The worst frame's luma PSNR must reach minJPEGPSNR and minPNGPSNR; with
// other, the frames must also differ from a reference decoded under that matrix (the
// video's colours tell the matrices apart).
func TestSampleFidelity(t *testing.T) {
	videos := map[string]func(testing.TB) mediatest.Video{
		"h264 bt709": mediatest.H264BT709, "h264 full": mediatest.H264FullRange, "mpeg4": mediatest.MPEG4,
		"vp9 bt709": mediatest.VP9BT709, "h264 rotated": mediatest.RotatedColor,
	}
	tests := []struct {
		name   string
		video  string // key of videos
		matrix ColorMatrix
		ref    string // the reference's in_color_matrix
		other  string // a matrix the frames must not match ("" for none)
	}{
		{"h264 720p bt709 tagged", "h264 bt709", ColorAuto, "auto", "bt601"},
		{"h264 full range", "h264 full", ColorAuto, "auto", ""},
		{"mpeg4 untagged", "mpeg4", ColorAuto, "auto", "bt709"},
		{"vp9 bt709 tagged", "vp9 bt709", ColorAuto, "auto", "bt601"},
		{"h264 rotated untagged", "h264 rotated", ColorAuto, "auto", ""},
		{"bt601 forced on bt709 tagged", "h264 bt709", ColorBT601, "bt601", "auto"},
		{"bt709 forced on untagged", "mpeg4", ColorBT709, "bt709", "auto"},
	}
	mediatest.Python(t)
	type input struct {
		v    mediatest.Video
		info Info
		plan Plan
	}
	inputs := map[string]input{}
	for name, gen := range videos {
		v := gen(t)
		info, plan := museg(t, v.Path)
		inputs[name] = input{v, info, plan}
	}
	// Every reference is decoded first and resized in one python run.
	refs := map[string]*mediatest.Reference{}
	var all []*mediatest.Reference
	for _, tc := range tests {
		for _, m := range []string{tc.ref, tc.other} {
			in, key := inputs[tc.video], tc.video+"/"+m
			if m == "" || refs[key] != nil {
				continue
			}
			refs[key] = mediatest.DecodeRGB(t, in.v.Path, in.plan.Indices, in.info.DisplayWidth, in.info.DisplayHeight, in.plan.Width, in.plan.Height, m)
			all = append(all, refs[key])
		}
	}
	mediatest.TorchResize(t, all...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := inputs[tc.video]
			for _, f := range []struct {
				format FrameFormat
				min    float64
			}{{FrameJPEG, minJPEGPSNR}, {FramePNG, minPNGPSNR}} {
				got, _ := sampleAll(t, in.v.Path, in.plan, Options{ColorMatrix: tc.matrix, Format: f.format})
				worst := worstPSNR(t, got, refs[tc.video+"/"+tc.ref].Frames, in.plan)
				t.Logf("%s %s %dx%d -> %dx%d, %d frames: worst luma PSNR %.1f dB", f.format, tc.matrix,
					in.info.DisplayWidth, in.info.DisplayHeight, in.plan.Width, in.plan.Height, len(got), worst)
				if worst < f.min {
					t.Errorf("%s: worst luma PSNR %.1f dB, want >= %.0f dB", f.format, worst, f.min)
				}
				if tc.other == "" || f.format != FramePNG {
					continue
				}
				if o := worstPSNR(t, got, refs[tc.video+"/"+tc.other].Frames, in.plan); o > maxOtherPSNR {
					t.Errorf("frames match the %s reference too (%.1f dB): the video cannot tell the matrices apart", tc.other, o)
				}
			}
		})
	}
}

// worstPSNR returns the lowest luma PSNR over the frames of got against ref.
func worstPSNR(t *testing.T, got []sampled, ref [][]byte, plan Plan) float64 {
	t.Helper()
	if len(got) != len(ref) {
		t.Fatalf("%d frames, reference has %d", len(got), len(ref))
	}
	worst := math.Inf(1)
	for i, s := range got {
		y, err := frameLuma(s.jpeg, plan.Width, plan.Height)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		worst = min(worst, psnr(y, rgbLuma(ref[i])))
	}
	return worst
}

// frameLuma decodes a JPEG or PNG frame of w x h and returns its luma: a JPEG's Y plane
// as stored (JFIF, full range), a PNG's Y computed from RGB with the same BT.601 weights.
func frameLuma(b []byte, w, h int) ([]float64, error) {
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	if r := img.Bounds(); r.Dx() != w || r.Dy() != h {
		return nil, fmt.Errorf("frame is %dx%d, want %dx%d", r.Dx(), r.Dy(), w, h)
	}
	y := make([]float64, 0, w*h)
	if yc, ok := img.(*image.YCbCr); ok {
		for row := range h {
			for _, v := range yc.Y[row*yc.YStride : row*yc.YStride+w] {
				y = append(y, float64(v))
			}
		}
		return y, nil
	}
	for row := range h {
		for x := range w {
			r, g, b, _ := img.At(x, row).RGBA()
			y = append(y, luma(float64(r>>8), float64(g>>8), float64(b>>8)))
		}
	}
	return y, nil
}

// rgbLuma returns the luma of packed RGB24 pixels.
func rgbLuma(rgb []byte) []float64 {
	y := make([]float64, len(rgb)/3)
	for i := range y {
		y[i] = luma(float64(rgb[i*3]), float64(rgb[i*3+1]), float64(rgb[i*3+2]))
	}
	return y
}

// luma is BT.601's (JFIF's) Y of an RGB pixel.
func luma(r, g, b float64) float64 { return 0.299*r + 0.587*g + 0.114*b }

// psnr is the peak signal-to-noise ratio of a against b in dB (255 peak; +Inf if equal).
func psnr(a, b []float64) float64 {
	var sum float64
	for i := range a {
		d := a[i] - b[i]
		sum += d * d
	}
	if sum == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(sum/float64(len(a))))
}

var _, _ = jpeg.Decode, png.Decode // register both decoders with image.Decode
