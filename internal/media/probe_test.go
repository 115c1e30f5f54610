package media

import (
	"context"
	"errors"
	"math"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/media/mediatest"
)

func TestProbe(t *testing.T) {
	tests := []struct {
		name    string
		gen     func(testing.TB) mediatest.Video
		wantVFR bool
	}{
		{"h264 b-frames mp4", mediatest.H264BFrames, false},
		{"h264 mpeg-ts", mediatest.H264TS, false},
		{"hevc mkv", mediatest.HEVC, false},
		{"vp9 webm", mediatest.VP9, false},
		{"av1 mkv", mediatest.AV1, false},
		{"mpeg4 avi", mediatest.MPEG4, false},
		{"variable frame rate", mediatest.VFR, true},
		{"start offset", mediatest.Offset, false},
		{"rotated", mediatest.Rotated, false},
		{"odd size", mediatest.OddSize, false},
		{"three frames", mediatest.Short, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.gen(t)
			info, err := Probe(testCtx(t), v.Path, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			// Reference: ffprobe's decode of every frame.
			ref := mediatest.FramePTS(t, v.Path)
			slices.Sort(ref)
			if info.Frames != v.Frames || info.Frames != len(ref) {
				t.Errorf("Frames = %d, want %d (generated) and %d (ffprobe)", info.Frames, v.Frames, len(ref))
			}
			if info.Codec != v.Codec {
				t.Errorf("Codec = %q, want %q", info.Codec, v.Codec)
			}
			if info.Width != v.Width || info.Height != v.Height {
				t.Errorf("size = %dx%d, want %dx%d", info.Width, info.Height, v.Width, v.Height)
			}
			if info.Rotation != v.RotationCW {
				t.Errorf("Rotation = %d, want %d", info.Rotation, v.RotationCW)
			}
			dw, dh := v.Width, v.Height
			if v.RotationCW%180 == 90 {
				dw, dh = dh, dw
			}
			if info.DisplayWidth != dw || info.DisplayHeight != dh {
				t.Errorf("display size = %dx%d, want %dx%d", info.DisplayWidth, info.DisplayHeight, dw, dh)
			}
			if !tc.wantVFR && math.Abs(info.AvgFPS-v.FPS) > 1e-6 {
				t.Errorf("AvgFPS = %v, want %v", info.AvgFPS, v.FPS)
			}
			if info.VariableFrameRate != tc.wantVFR {
				t.Errorf("VariableFrameRate = %v, want %v", info.VariableFrameRate, tc.wantVFR)
			}
			if len(ref) > 0 {
				if math.Abs(info.FirstFrameSec-ref[0]) > 1e-3 || math.Abs(info.LastFrameSec-ref[len(ref)-1]) > 1e-3 {
					t.Errorf("frame times %v..%v, want %v..%v (ffprobe)", info.FirstFrameSec, info.LastFrameSec, ref[0], ref[len(ref)-1])
				}
			}
			if math.Abs(info.FirstFrameSec-v.StartSec) > 1e-3 {
				t.Errorf("FirstFrameSec = %v, want %v", info.FirstFrameSec, v.StartSec)
			}
			if v.GOP > 0 {
				wantKeys := (v.Frames + v.GOP - 1) / v.GOP
				if info.MaxKeyframeInterval != v.GOP || info.Keyframes != wantKeys {
					t.Errorf("keyframes = %d every %d at most, want %d every %d", info.Keyframes, info.MaxKeyframeInterval, wantKeys, v.GOP)
				}
			}
		})
	}
}

// TestProbeVFRFields checks the variable-rate video against its construction: 30 frames
// at 1/30 s, then one every 0.1 s, from 0 to 117/30 = 3.9 s.
func TestProbeVFRFields(t *testing.T) {
	v := mediatest.VFR(t)
	info, err := Probe(testCtx(t), v.Path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(info.LastFrameSec-3.9) > 1e-3 || info.RealFPS != 30 {
		t.Errorf("last frame %v s at r_frame_rate %v, want 3.9 s at 30", info.LastFrameSec, info.RealFPS)
	}
}

func TestProbeErrors(t *testing.T) {
	dir := t.TempDir()
	empty := dir + "/empty.mp4"
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	tests := []struct {
		name string
		path func(testing.TB) string
		ctx  context.Context
		lim  Limits
		want error
	}{
		{"missing file", func(testing.TB) string { return dir + "/nope.mp4" }, nil, Limits{}, ErrNotFound},
		{"directory", func(testing.TB) string { return dir }, nil, Limits{}, ErrNotFound},
		{"empty file", func(testing.TB) string { return empty }, nil, Limits{}, ErrInvalid},
		{"garbage", func(t testing.TB) string { return mediatest.Garbage(t, 200_000) }, nil, Limits{}, ErrInvalid},
		{"audio only", mediatest.AudioOnly, nil, Limits{}, ErrNoVideo},
		{"truncated with index", func(t testing.TB) string { return mediatest.Truncated(t, 0.6) }, nil, Limits{}, ErrTruncated},
		{"truncated index lost", func(t testing.TB) string { return mediatest.TruncatedIndexLost(t, 0.6) }, nil, Limits{}, ErrInvalid},
		{"expired context", func(t testing.TB) string { return mediatest.Short(t).Path }, expired, Limits{}, ErrTimeout},
		{"packet budget", func(t testing.TB) string { return mediatest.H264BFrames(t).Path }, nil, Limits{MaxPackets: 10}, ErrTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := tc.ctx
			if ctx == nil {
				ctx = testCtx(t)
			}
			_, err := Probe(ctx, tc.path(t), tc.lim)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Probe error = %v, want %v", err, tc.want)
			}
		})
	}
}
