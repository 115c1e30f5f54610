package mediatest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// Video is a generated test video and the parameters it was generated with.
type Video struct {
	// Path is the file, inside t.TempDir().
	Path string
	// Codec is the FFmpeg codec name of its video stream (h264, hevc, vp9, av1, mpeg4).
	Codec string
	// Width and Height are the coded frame size in pixels.
	Width, Height int
	// FPS is the nominal frame rate the source was generated at.
	FPS float64
	// Frames is the number of video frames written.
	Frames int
	// StartSec is the presentation time of the first frame requested from the muxer
	// (0 unless the generator offsets timestamps).
	StartSec float64
	// RotationCW is the clockwise rotation, in degrees, that the display matrix asks a
	// player to apply (0, 90, 180 or 270).
	RotationCW int
	// GOP is the keyframe interval in frames given to the encoder (0: encoder default).
	GOP int
}

// source returns lavfi input args for an animated test pattern (testsrc2 shows a moving
// pattern and a frame counter, so consecutive frames differ).
// Odd sizes are made by scaling an even-sized pattern, since testsrc2 only makes even ones.
func source(w, h int, fps float64) []string {
	args := []string{"-f", "lavfi", "-i", fmt.Sprintf("testsrc2=size=%dx%d:rate=%g", w+w%2, h+h%2, fps)}
	if w%2 == 1 || h%2 == 1 {
		args = append(args, "-vf", fmt.Sprintf("scale=%d:%d", w, h))
	}
	return args
}

func generate(t testing.TB, v Video, name string, codecArgs ...string) Video {
	t.Helper()
	v.Path = filepath.Join(t.TempDir(), name)
	args := source(v.Width, v.Height, v.FPS)
	args = append(args, "-frames:v", fmt.Sprint(v.Frames))
	args = append(args, codecArgs...)
	FFmpeg(t, append(args, v.Path)...)
	return v
}

// H264BFrames is 90 frames (3 s) of 320x240 at 30 fps, H.264 (x264) with up to 3
// B-frames in a pyramid and a keyframe every 30 frames, in MP4.
func H264BFrames(t testing.TB) Video {
	return generate(t, Video{Codec: "h264", Width: 320, Height: 240, FPS: 30, Frames: 90, GOP: 30}, "h264_bframes.mp4",
		"-c:v", "libx264", "-preset", "veryfast", "-bf", "3", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-pix_fmt", "yuv420p")
}

// H264Long is seconds of 1280x720 at 30 fps H.264 with 3 B-frames (x264 veryfast, default
// keyframe interval 250), in MP4: the benchmark input.
func H264Long(t testing.TB, seconds int) Video {
	return generate(t, Video{Codec: "h264", Width: 1280, Height: 720, FPS: 30, Frames: seconds * 30}, "h264_long.mp4",
		"-c:v", "libx264", "-preset", "veryfast", "-bf", "3", "-pix_fmt", "yuv420p")
}

// H264SparseGOP is 300 frames (10 s) of 320x240 at 30 fps H.264 with B-frames and a
// keyframe every 12 frames, in MP4: sampled at 2 fps its targets lie farther apart than
// the keyframe interval.
func H264SparseGOP(t testing.TB) Video {
	return generate(t, Video{Codec: "h264", Width: 320, Height: 240, FPS: 30, Frames: 300, GOP: 12}, "h264_gop12.mp4",
		"-c:v", "libx264", "-preset", "veryfast", "-bf", "3", "-g", "12", "-keyint_min", "12", "-sc_threshold", "0", "-pix_fmt", "yuv420p")
}

// HEVC is 50 frames (2 s) of 320x240 at 25 fps, HEVC (x265, B-frames) in Matroska.
func HEVC(t testing.TB) Video {
	return generate(t, Video{Codec: "hevc", Width: 320, Height: 240, FPS: 25, Frames: 50, GOP: 25}, "hevc.mkv",
		"-c:v", "libx265", "-preset", "veryfast", "-x265-params", "log-level=error:keyint=25:min-keyint=25:bframes=4", "-pix_fmt", "yuv420p")
}

// VP9 is 48 frames (2 s) of 320x240 at 24 fps, VP9 (libvpx, with alt-ref frames) in WebM.
func VP9(t testing.TB) Video {
	return generate(t, Video{Codec: "vp9", Width: 320, Height: 240, FPS: 24, Frames: 48}, "vp9.webm",
		"-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k")
}

// AV1 is 24 frames (1 s) of 320x240 at 24 fps, AV1 in Matroska, with the first AV1
// encoder the installed ffmpeg has (libsvtav1, libaom-av1); the test is skipped if none.
func AV1(t testing.TB) Video {
	t.Helper()
	v := Video{Codec: "av1", Width: 320, Height: 240, FPS: 24, Frames: 24}
	switch {
	case HasEncoder(t, "libsvtav1"):
		return generate(t, v, "av1.mkv", "-c:v", "libsvtav1", "-preset", "12", "-pix_fmt", "yuv420p")
	case HasEncoder(t, "libaom-av1"):
		return generate(t, v, "av1.mkv", "-c:v", "libaom-av1", "-cpu-used", "8", "-pix_fmt", "yuv420p")
	}
	t.Skip("the installed ffmpeg has no AV1 encoder")
	return v
}

// MPEG4 is 50 frames (2 s) of 320x240 at 25 fps, MPEG-4 part 2 (no B-frames) in AVI.
func MPEG4(t testing.TB) Video {
	return generate(t, Video{Codec: "mpeg4", Width: 320, Height: 240, FPS: 25, Frames: 50}, "mpeg4.avi",
		"-c:v", "mpeg4", "-q:v", "5")
}

// VFR is a variable-frame-rate H.264 MP4 made from 120 frames at 30 fps (4 s): the first
// 30 frames are all kept (30 fps), then only every third one (10 fps), 60 frames in all,
// each keeping its source time n/30.
func VFR(t testing.TB) Video {
	return generate(t, Video{Codec: "h264", Width: 320, Height: 240, FPS: 30, Frames: 60}, "vfr.mp4",
		"-vf", `select='lt(n\,30)+not(mod(n\,3))'`, "-vsync", "vfr",
		"-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-pix_fmt", "yuv420p")
}

// Offset is 50 frames (2 s) of 320x240 at 25 fps H.264 in Matroska whose timestamps start
// at 3 s (-output_ts_offset 3).
func Offset(t testing.TB) Video {
	return generate(t, Video{Codec: "h264", Width: 320, Height: 240, FPS: 25, Frames: 50, StartSec: 3}, "offset.mkv",
		"-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-pix_fmt", "yuv420p", "-output_ts_offset", "3")
}

// Rotated is 30 frames of 320x240 at 30 fps H.264 in MP4 whose display matrix asks for a
// quarter turn (shown as 240x320): it is written with the MP4 muxer's "rotate=90" tag,
// which ffmpeg 5.1 stores as a display matrix of 90 degrees counterclockwise (ffprobe:
// rotation=90), that is 270 clockwise. The frames are black with a white box in the
// top-left corner of the coded picture, so orientation can be checked.
func Rotated(t testing.TB) Video {
	t.Helper()
	v := Video{Codec: "h264", Width: 320, Height: 240, FPS: 30, Frames: 30, RotationCW: 270}
	plain := filepath.Join(t.TempDir(), "plain.mp4")
	FFmpeg(t, "-f", "lavfi", "-i", "color=c=black:size=320x240:rate=30",
		"-vf", "drawbox=x=0:y=0:w=80:h=60:color=white:t=fill", "-frames:v", "30",
		"-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", plain)
	v.Path = filepath.Join(t.TempDir(), "rotated.mp4")
	FFmpeg(t, "-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=90", v.Path)
	return v
}

// OddSize is 30 frames of 321x241 at 30 fps, H.264 4:4:4 (odd sides need no chroma
// subsampling) in MP4.
func OddSize(t testing.TB) Video {
	return generate(t, Video{Codec: "h264", Width: 321, Height: 241, FPS: 30, Frames: 30}, "odd.mp4",
		"-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv444p")
}

// Short is a 3-frame H.264 MP4 (320x240, 30 fps).
func Short(t testing.TB) Video {
	return generate(t, Video{Codec: "h264", Width: 320, Height: 240, FPS: 30, Frames: 3}, "short.mp4",
		"-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p")
}

// Single is a 1-frame H.264 MP4 (320x240): too short to sample.
func Single(t testing.TB) Video {
	return generate(t, Video{Codec: "h264", Width: 320, Height: 240, FPS: 30, Frames: 1}, "single.mp4",
		"-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p")
}

// AudioOnly is a 2-second sine tone in an MP4 (AAC) file with no video stream.
func AudioOnly(t testing.TB) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "audio.mp4")
	FFmpeg(t, "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", p)
	return p
}

// Truncated is H264BFrames made with the index at the front (-movflags +faststart) and
// then cut to keepFraction of its bytes, as an interrupted download leaves it.
func Truncated(t testing.TB, keepFraction float64) string {
	t.Helper()
	v := generate(t, Video{Codec: "h264", Width: 320, Height: 240, FPS: 30, Frames: 90}, "faststart.mp4",
		"-c:v", "libx264", "-preset", "veryfast", "-bf", "3", "-pix_fmt", "yuv420p", "-movflags", "+faststart")
	return cut(t, v.Path, keepFraction)
}

// TruncatedIndexLost is H264BFrames (index at the end) cut to keepFraction of its bytes,
// so the index is gone.
func TruncatedIndexLost(t testing.TB, keepFraction float64) string {
	t.Helper()
	return cut(t, H264BFrames(t).Path, keepFraction)
}

func cut(t testing.TB, path string, keepFraction float64) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "truncated"+filepath.Ext(path))
	if err := os.WriteFile(out, b[:int(float64(len(b))*keepFraction)], 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// Garbage is n pseudo-random bytes (fixed seed) in a file named like an MP4.
func Garbage(t testing.TB, n int) string {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	p := filepath.Join(t.TempDir(), "garbage.mp4")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Cut returns a copy of the file at path holding only its first keepFraction of bytes.
func Cut(t testing.TB, path string, keepFraction float64) string {
	t.Helper()
	return cut(t, path, keepFraction)
}

// Scramble returns a copy of the file at path with n pseudo-random bytes (fixed seed)
// written over it starting at fraction at of its length: damage inside the media data.
func Scramble(t testing.TB, path string, at float64, n int) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	start := int(float64(len(b)) * at)
	for i := start; i < min(len(b), start+n); i++ {
		b[i] = byte(r.Uint32())
	}
	out := filepath.Join(t.TempDir(), "scrambled"+filepath.Ext(path))
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// H264TS is 90 frames (3 s) of 320x240 at 30 fps, H.264 with 3 B-frames (Annex B start
// codes) in MPEG-TS. Its decode timestamps start at the muxer's default offset (1.4 s) and
// x264's B-pyramid delays the first presentation time by two frames: 1.4 + 2/30 s.
func H264TS(t testing.TB) Video {
	return generate(t, Video{Codec: "h264", Width: 320, Height: 240, FPS: 30, Frames: 90, StartSec: 1.4 + 2.0/30}, "h264.ts",
		"-c:v", "libx264", "-preset", "veryfast", "-bf", "3", "-pix_fmt", "yuv420p")
}

// H264BT709 is 12 frames of 1280x720 at 30 fps, H.264 (x264) in MP4, limited range and
// tagged BT.709 (matrix, primaries and transfer), as HD cameras and phones write it.
func H264BT709(t testing.TB) Video {
	return generate(t, Video{Codec: "h264", Width: 1280, Height: 720, FPS: 30, Frames: 12}, "h264_bt709.mp4",
		"-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
		"-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv")
}

// H264FullRange is 12 frames of 640x360 at 30 fps, H.264 (x264) in MP4, full range
// (yuvj420p: the stream's video_full_range_flag set), matrix untagged.
func H264FullRange(t testing.TB) Video {
	return generate(t, Video{Codec: "h264", Width: 640, Height: 360, FPS: 30, Frames: 12}, "h264_full.mp4",
		"-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuvj420p")
}

// VP9BT709 is 12 frames of 640x360 at 24 fps, VP9 (libvpx) in WebM, tagged BT.709.
func VP9BT709(t testing.TB) Video {
	return generate(t, Video{Codec: "vp9", Width: 640, Height: 360, FPS: 24, Frames: 12}, "vp9_bt709.webm",
		"-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "2M", "-pix_fmt", "yuv420p",
		"-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709")
}

// RotatedColor is 12 frames of 480x272 at 30 fps, H.264 in MP4, untagged, whose display
// matrix asks for a quarter turn (like Rotated, but with the coloured test pattern).
func RotatedColor(t testing.TB) Video {
	t.Helper()
	v := generate(t, Video{Codec: "h264", Width: 480, Height: 272, FPS: 30, Frames: 12}, "plain.mp4",
		"-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p")
	out := filepath.Join(t.TempDir(), "rotated_color.mp4")
	FFmpeg(t, "-i", v.Path, "-c", "copy", "-metadata:s:v:0", "rotate=90", out)
	v.Path, v.RotationCW = out, 270
	return v
}
