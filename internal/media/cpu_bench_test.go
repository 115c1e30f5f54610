package media

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/media/mediatest"
	"github.com/rlcurate/rlcurate/internal/sampling"
)

// cpuSeconds returns user+system CPU seconds of this process (who = RUSAGE_SELF) or of
// its waited-for children (RUSAGE_CHILDREN).
func cpuSeconds(t *testing.T, who int) float64 {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// TestCPUCost compares the CPU cost of Sample with the ffmpeg CLI's fps+scale to JPEG on
// a 3-minute 720p H.264 video. It is a measurement, not a check: it runs only when
// MEDIA_BENCH=1 (MEDIA_BENCH_VIDEO may name an existing input to skip generating one).
//
//	MEDIA_BENCH=1 go test ./media/ -run TestCPUCost -v -timeout 20m
func TestCPUCost(t *testing.T) {
	if os.Getenv("MEDIA_BENCH") != "1" {
		t.Skip("set MEDIA_BENCH=1 to measure CPU cost")
	}
	path := os.Getenv("MEDIA_BENCH_VIDEO")
	if path == "" {
		path = mediatest.H264Long(t, 180).Path
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	info, err := Probe(ctx, path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	sp, err := sampling.NewPlan(info.Frames, info.FPS(), info.DisplayWidth, info.DisplayHeight, sampling.Museg())
	if err != nil {
		t.Fatal(err)
	}
	plan := Plan{Indices: sp.Indices, Width: sp.Width, Height: sp.Height}
	t.Logf("input %s: %d frames %dx%d at %.3f fps, keyframe interval <= %d; plan %d frames at %dx%d",
		filepath.Base(path), info.Frames, info.Width, info.Height, info.FPS(), info.MaxKeyframeInterval, len(plan.Indices), plan.Width, plan.Height)

	for _, threads := range []string{"1", "0"} {
		out := t.TempDir()
		cli := []string{"-threads", threads, "-i", path, "-vf", fmt.Sprintf("fps=2,scale=%d:%d", plan.Width, plan.Height), "-q:v", "2", filepath.Join(out, "%04d.jpg")}
		before, wall := cpuSeconds(t, syscall.RUSAGE_CHILDREN), time.Now()
		mediatest.FFmpeg(t, cli...)
		t.Logf("| ffmpeg CLI, -threads %s | %.2f | %.2f |  | `ffmpeg %v` |", threads, cpuSeconds(t, syscall.RUSAGE_CHILDREN)-before, time.Since(wall).Seconds(), cli)
	}

	for _, c := range []struct {
		name string
		opts Options
	}{
		{"media.Sample FullDecode, 1 thread", Options{Threads: 1, FullDecode: true}},
		{"media.Sample (skipping), 1 thread", Options{Threads: 1}},
		{"media.Sample (skipping), threads 0 (one per core)", Options{}},
	} {
		before, wall := cpuSeconds(t, syscall.RUSAGE_SELF), time.Now()
		bytesOut := 0
		stats, err := Sample(ctx, path, plan, c.opts, func(_ int, _ float64, b []byte) error {
			bytesOut += len(b)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("| %s | %.2f | %.2f | sent %d of %d packets, %d frames, %d KiB of JPEG |  |", c.name,
			cpuSeconds(t, syscall.RUSAGE_SELF)-before, time.Since(wall).Seconds(), stats.Sent, stats.Packets, stats.Emitted, bytesOut/1024)
	}
}
