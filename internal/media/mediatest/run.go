package mediatest

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// toolTimeout bounds every ffmpeg or ffprobe run so a test never hangs on the tool.
const toolTimeout = 2 * time.Minute

// Tool returns the path of the named tool ("ffmpeg" or "ffprobe"), preferring /usr/bin,
// and skips the test with a clear message when it is not installed.
func Tool(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(filepath.Join("/usr/bin", name)); err == nil {
		return p
	}
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (apt-get install ffmpeg): skipping a test that needs generated videos", name)
	}
	return p
}

// FFmpeg runs the ffmpeg CLI with args (after -y -hide_banner -loglevel error) and fails
// the test with ffmpeg's stderr if it exits non-zero.
func FFmpeg(t testing.TB, args ...string) {
	t.Helper()
	run(t, Tool(t, "ffmpeg"), append([]string{"-y", "-hide_banner", "-loglevel", "error", "-nostdin"}, args...)...)
}

// HasEncoder reports whether the installed ffmpeg has the named encoder (e.g. "libsvtav1").
func HasEncoder(t testing.TB, name string) bool {
	t.Helper()
	out := run(t, Tool(t, "ffmpeg"), "-hide_banner", "-encoders")
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[1] == name {
			return true
		}
	}
	return false
}

// FramePTS returns the presentation timestamps in seconds of every frame of the first
// video stream, in presentation order, as ffprobe decodes them (best-effort timestamps).
func FramePTS(t testing.TB, path string) []float64 {
	t.Helper()
	out := run(t, Tool(t, "ffprobe"), "-v", "error", "-select_streams", "v:0",
		"-show_entries", "frame=best_effort_timestamp_time", "-of", "csv=p=0", path)
	var pts []float64
	for _, line := range strings.Fields(out) {
		v, err := strconv.ParseFloat(strings.TrimSuffix(line, ","), 64)
		if err != nil {
			t.Fatalf("ffprobe frame time %q: %v", line, err)
		}
		pts = append(pts, v)
	}
	return pts
}

// StreamField returns one field of the first video stream as ffprobe reports it
// (for example "avg_frame_rate", "start_time", "codec_name", "nb_read_packets").
// Fields of side data are not covered.
func StreamField(t testing.TB, path, field string) string {
	t.Helper()
	out := run(t, Tool(t, "ffprobe"), "-v", "error", "-select_streams", "v:0", "-count_packets",
		"-show_entries", "stream="+field, "-of", "default=nw=1:nk=1", path)
	return strings.TrimSpace(out)
}

func run(t testing.TB, tool string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tool, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(tool), strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}
