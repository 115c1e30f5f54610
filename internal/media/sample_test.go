package media

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"math"
	"slices"
	"testing"

	"github.com/rlcurate/rlcurate/internal/media/mediatest"
	"github.com/rlcurate/rlcurate/internal/sampling"
)

// sampled is one callback of Sample.
type sampled struct {
	i      int
	ptsSec float64
	jpeg   []byte
}

func sampleAll(t *testing.T, path string, plan Plan, opts Options) ([]sampled, Stats) {
	t.Helper()
	var got []sampled
	stats, err := Sample(testCtx(t), path, plan, opts, func(i int, ptsSec float64, b []byte) error {
		got = append(got, sampled{i, ptsSec, b})
		return nil
	})
	if err != nil {
		t.Fatalf("Sample: %v", err)
	}
	return got, stats
}

func decodeJPEG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("output is not a JPEG: %v", err)
	}
	return img
}

// museg builds the plan MUSEG's trainer would use, from Probe's answer.
func museg(t *testing.T, path string) (Info, Plan) {
	t.Helper()
	info, err := Probe(testCtx(t), path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := sampling.NewPlan(info.Frames, info.FPS(), info.DisplayWidth, info.DisplayHeight, sampling.Museg())
	if err != nil {
		t.Fatal(err)
	}
	return info, Plan{Indices: p.Indices, Width: p.Width, Height: p.Height}
}

// TestSample checks, for every codec and container, that the sampled frames are the
// planned ones: one callback per index, in order, at ffprobe's timestamps (from the first
// frame), as JPEGs of the planned size.
func TestSample(t *testing.T) {
	tests := []struct {
		name string
		gen  func(testing.TB) mediatest.Video
	}{
		{"h264 b-frames mp4", mediatest.H264BFrames},
		{"h264 short gop", mediatest.H264SparseGOP},
		{"h264 mpeg-ts", mediatest.H264TS},
		{"hevc mkv", mediatest.HEVC},
		{"vp9 webm", mediatest.VP9},
		{"av1 mkv", mediatest.AV1},
		{"mpeg4 avi", mediatest.MPEG4},
		{"variable frame rate", mediatest.VFR},
		{"start offset", mediatest.Offset},
		{"rotated", mediatest.Rotated},
		{"odd size", mediatest.OddSize},
		{"three frames", mediatest.Short},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.gen(t)
			_, plan := museg(t, v.Path)
			ref := mediatest.FramePTS(t, v.Path)
			slices.Sort(ref)
			// Expected indices, from the generation parameters: linspace over the frames.
			n := len(plan.Indices)
			if v.Frames == 3 && (n != 2 || plan.Indices[1] != 2) {
				t.Fatalf("3-frame plan = %v, want [0 2]", plan.Indices)
			}
			got, stats := sampleAll(t, v.Path, plan, Options{})
			if len(got) != n || stats.Emitted != n {
				t.Fatalf("%d frames (stats %d), want %d", len(got), stats.Emitted, n)
			}
			for j, s := range got {
				if s.i != j {
					t.Fatalf("callback %d has position %d", j, s.i)
				}
				want := ref[plan.Indices[j]] - ref[0]
				if math.Abs(s.ptsSec-want) > 1e-3 {
					t.Errorf("frame %d (index %d) at %.4f s, want %.4f s", j, plan.Indices[j], s.ptsSec, want)
				}
				if b := decodeJPEG(t, s.jpeg).Bounds(); b.Dx() != plan.Width || b.Dy() != plan.Height {
					t.Errorf("frame %d is %dx%d, want %dx%d", j, b.Dx(), b.Dy(), plan.Width, plan.Height)
				}
			}
		})
	}
}

// TestSampleSkippingMatchesFullDecode decodes the same plan with and without skipping
// packets and requires byte-identical JPEGs, and that skipping really happened.
func TestSampleSkippingMatchesFullDecode(t *testing.T) {
	tests := []struct {
		name        string
		gen         func(testing.TB) mediatest.Video
		wantNonRef  bool
		wantResets  bool
		everyNFrame int
	}{
		// 6 targets (0, 18, 36, 53, 71, 89) over 3 GOPs of 30 frames with 3 B-frames:
		// non-reference B-frames are skipped, and the decoder is reset at the GOPs
		// starting at 30 and 60 because the frames before them are not needed.
		{"h264 b-frames", mediatest.H264BFrames, true, true, 0},
		// Keyframe every 12 frames, targets every 15: whole GOP tails are skipped.
		{"h264 short gop", mediatest.H264SparseGOP, true, true, 0},
		// Annex B start codes instead of length prefixes.
		{"h264 mpeg-ts", mediatest.H264TS, true, false, 0},
		// Every third frame of an HEVC stream with B-frames.
		{"hevc", mediatest.HEVC, true, false, 3},
		// VP9 is decoded in full inside the needed range (no skipping rule for it).
		{"vp9", mediatest.VP9, false, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.gen(t)
			info, plan := museg(t, v.Path)
			if tc.everyNFrame > 0 {
				plan.Indices = nil
				for k := 1; k < info.Frames; k += tc.everyNFrame {
					plan.Indices = append(plan.Indices, k)
				}
			}
			full, fullStats := sampleAll(t, v.Path, plan, Options{FullDecode: true})
			fast, fastStats := sampleAll(t, v.Path, plan, Options{})
			if fullStats.Sent != info.Frames && fullStats.Sent != fullStats.Packets {
				t.Errorf("full decode sent %d of %d packets", fullStats.Sent, fullStats.Packets)
			}
			if len(full) != len(fast) {
				t.Fatalf("%d frames with skipping, %d without", len(fast), len(full))
			}
			for j := range full {
				if full[j].ptsSec != fast[j].ptsSec || !bytes.Equal(full[j].jpeg, fast[j].jpeg) {
					t.Fatalf("frame %d (index %d) differs between full and skipping decode", j, plan.Indices[j])
				}
			}
			if (fastStats.SkippedNonRef > 0) != tc.wantNonRef {
				t.Errorf("skipped %d non-reference packets, want skipping = %v", fastStats.SkippedNonRef, tc.wantNonRef)
			}
			if (fastStats.Resets > 0) != tc.wantResets {
				t.Errorf("%d resets, want resets = %v", fastStats.Resets, tc.wantResets)
			}
			t.Logf("sent %d of %d packets (full: %d); %+v", fastStats.Sent, fastStats.Packets, fullStats.Sent, fastStats)
		})
	}
}

// TestSampleRotation compares the orientation of a rotated video's frame with the
// ffmpeg CLI's (which applies the display matrix): the white box must land in the same
// corner.
func TestSampleRotation(t *testing.T) {
	v := mediatest.Rotated(t)
	info, err := Probe(testCtx(t), v.Path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	plan := Plan{Indices: []int{0}, Width: info.DisplayWidth, Height: info.DisplayHeight}
	got, _ := sampleAll(t, v.Path, plan, Options{})
	ours := decodeJPEG(t, got[0].jpeg)

	refPath := t.TempDir() + "/ref.jpg"
	mediatest.FFmpeg(t, "-i", v.Path, "-frames:v", "1", "-q:v", "2", refPath)
	refBytes := readFile(t, refPath)
	ref := decodeJPEG(t, refBytes)
	if ref.Bounds() != ours.Bounds() {
		t.Fatalf("our frame is %v, ffmpeg's %v", ours.Bounds(), ref.Bounds())
	}
	if a, b := brightestCorner(ours), brightestCorner(ref); a != b {
		t.Fatalf("white box in corner %d, ffmpeg puts it in corner %d", a, b)
	}
}

// brightestCorner returns which 20x20 corner (0 top-left, 1 top-right, 2 bottom-left,
// 3 bottom-right) has the highest mean luma.
func brightestCorner(img image.Image) int {
	b := img.Bounds()
	best, bestSum := -1, -1.0
	for c := range 4 {
		x0, y0 := b.Min.X, b.Min.Y
		if c%2 == 1 {
			x0 = b.Max.X - 20
		}
		if c >= 2 {
			y0 = b.Max.Y - 20
		}
		sum := 0.0
		for y := y0; y < y0+20; y++ {
			for x := x0; x < x0+20; x++ {
				r, _, _, _ := img.At(x, y).RGBA()
				sum += float64(r)
			}
		}
		if sum > bestSum {
			best, bestSum = c, sum
		}
	}
	return best
}

func TestSampleErrors(t *testing.T) {
	v := mediatest.H264BFrames(t)
	errStop := errors.New("stop")
	tests := []struct {
		name string
		path func(testing.TB) string
		plan Plan
		fn   FrameFunc
		want error
	}{
		{"index past the end", func(testing.TB) string { return v.Path }, Plan{Indices: []int{0, 90}, Width: 56, Height: 56}, nil, ErrPlan},
		{"descending indices", func(testing.TB) string { return v.Path }, Plan{Indices: []int{5, 4}, Width: 56, Height: 56}, nil, ErrPlan},
		{"zero size", func(testing.TB) string { return v.Path }, Plan{Indices: []int{0}}, nil, ErrPlan},
		{"callback error", func(testing.TB) string { return v.Path }, Plan{Indices: []int{0, 10}, Width: 56, Height: 56},
			func(i int, _ float64, _ []byte) error { return errStop }, errStop},
		{"audio only", mediatest.AudioOnly, Plan{Indices: []int{0}, Width: 56, Height: 56}, nil, ErrNoVideo},
		{"truncated", func(t testing.TB) string { return mediatest.Truncated(t, 0.5) }, Plan{Indices: []int{0}, Width: 56, Height: 56}, nil, ErrTruncated},
		{"garbage", func(t testing.TB) string { return mediatest.Garbage(t, 50_000) }, Plan{Indices: []int{0}, Width: 56, Height: 56}, nil, ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fn := tc.fn
			if fn == nil {
				fn = func(int, float64, []byte) error { return nil }
			}
			_, err := Sample(testCtx(t), tc.path(t), tc.plan, Options{}, fn)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Sample error = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestSampleRepeatedIndex gives a repeated index one callback per position.
func TestSampleRepeatedIndex(t *testing.T) {
	v := mediatest.Short(t)
	got, _ := sampleAll(t, v.Path, Plan{Indices: []int{0, 1, 1, 2}, Width: 56, Height: 56}, Options{})
	if len(got) != 4 || got[1].i != 1 || got[2].i != 2 || !bytes.Equal(got[1].jpeg, got[2].jpeg) {
		t.Fatalf("got %d callbacks, want 4 with positions 1 and 2 sharing a frame", len(got))
	}
}
