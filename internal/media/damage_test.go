package media

import (
	"errors"
	"fmt"
	"testing"

	"github.com/rlcurate/rlcurate/internal/media/mediatest"
)

var sentinels = []error{ErrNotFound, ErrInvalid, ErrNoVideo, ErrUnsupported, ErrTruncated, ErrCorrupt, ErrTimeout, ErrPlan}

// classified reports an error that wraps exactly one of the sentinels.
func classified(err error) bool {
	n := 0
	for _, s := range sentinels {
		if errors.Is(err, s) {
			n++
		}
	}
	return n == 1
}

// TestDamagedFiles cuts and scrambles videos of every container at several places: Probe
// and Sample must either succeed or fail with exactly one sentinel error, within the test
// context's deadline, never crash.
func TestDamagedFiles(t *testing.T) {
	sources := map[string]func(testing.TB) mediatest.Video{
		"mp4": mediatest.H264BFrames, "mkv": mediatest.HEVC, "webm": mediatest.VP9, "avi": mediatest.MPEG4,
	}
	for name, gen := range sources {
		v := gen(t)
		var damaged []string
		for _, f := range []float64{0.02, 0.3, 0.7, 0.95} {
			damaged = append(damaged, mediatest.Cut(t, v.Path, f), mediatest.Scramble(t, v.Path, f, 4096))
		}
		for i, path := range damaged {
			t.Run(fmt.Sprintf("%s/%d", name, i), func(t *testing.T) {
				info, err := Probe(testCtx(t), path, Limits{})
				if err != nil {
					if !classified(err) {
						t.Fatalf("Probe error not classified: %v", err)
					}
					return
				}
				plan := Plan{Indices: []int{0, info.Frames / 2, info.Frames - 1}, Width: 56, Height: 56}
				_, err = Sample(testCtx(t), path, plan, Options{}, func(int, float64, []byte) error { return nil })
				if err != nil && !classified(err) {
					t.Fatalf("Sample error not classified: %v", err)
				}
			})
		}
	}
}
