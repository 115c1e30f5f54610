package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/media/mediatest"
)

// watchFIFO makes path a FIFO and reports, until stop is called, whether anything opened
// it for reading: a non-blocking open of its write end succeeds only while a reader has
// it open (which it then unblocks, with an immediate end of file).
func watchFIFO(t *testing.T, path string) (opened func() bool, stop func()) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
	var seen atomic.Bool
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
			}
			if f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				seen.Store(true)
				f.Close()
			}
		}
	}()
	var once sync.Once
	stop = func() { once.Do(func() { close(done); wg.Wait() }) }
	t.Cleanup(stop)
	return seen.Load, stop
}

// TestVideoBuildConfined runs the six path forms of issue 14 through the runner: every
// video path that leaves --videos (.., sub/../.., an absolute path, a symlinked file and
// a symlinked folder pointing out) is dead-lettered as outside_videos without the file
// ever being opened (it is a FIFO that records any reader), while nested paths and
// symlinks that stay inside the root are read.
func TestVideoBuildConfined(t *testing.T) {
	v := mediatest.H264BFrames(t) // 3 s
	base := t.TempDir()
	videos := filepath.Join(base, "videos")
	secretDir := filepath.Join(base, "secret")
	copyFile(t, v.Path, filepath.Join(videos, "ok.mp4"))
	copyFile(t, v.Path, filepath.Join(videos, "sub", "deep", "nested.mp4"))
	if err := os.MkdirAll(secretDir, 0o755); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(secretDir, "secret.mp4")
	opened, stop := watchFIFO(t, secret)
	for target, name := range map[string]string{
		secret:    "file-out.mp4", // a symlinked file pointing outside
		secretDir: "dir-out",      // a symlinked folder pointing outside
		filepath.Join(videos, "sub", "deep", "nested.mp4"): "file-in.mp4",
		filepath.Join("sub", "deep"):                       "dir-in",
	} {
		if err := os.Symlink(target, filepath.Join(videos, name)); err != nil {
			t.Fatal(err)
		}
	}

	line := func(video, query string) string {
		return fmt.Sprintf(`{"problem": "Give the start and end timestamps in seconds of the moment in the video that matches the description '%s'", "solution": [[0.5, 1.5]], "video": %q, "task": "tvg"}`, query, video)
	}
	inside := []string{"ok.mp4", "sub/deep/nested.mp4", "file-in.mp4", "dir-in/nested.mp4", "./sub/../ok.mp4", filepath.Join(videos, "ok.mp4")}
	outside := []string{"../secret/secret.mp4", "sub/../../secret/secret.mp4", secret, "file-out.mp4", "dir-out/secret.mp4"}
	var lines []string
	for i, p := range inside {
		lines = append(lines, line(p, fmt.Sprintf("inside %d", i)))
	}
	for i, p := range outside {
		lines = append(lines, line(p, fmt.Sprintf("outside %d", i)))
	}
	ann := writeFile(t, filepath.Join(base, "ann.jsonl"), strings.Join(lines, "\n")+"\n")
	prefix := filepath.Join(base, "out")
	out, err := runner(t, nil, "video", "build", "--annotations", ann, "--format", "museg", "--videos", videos, "--output", prefix,
		"--output-format", "jsonl", "--shards", "1")
	stop()
	if err != nil {
		t.Fatalf("video build: %v\n%s", err, out)
	}
	if opened() {
		t.Errorf("the file outside --videos was opened")
	}
	m := readManifest(t, prefix)
	checkCountsOf(t, "confined", m.Counts, map[string]int64{"read": int64(len(lines)), "written": int64(len(inside)),
		"dead_lettered": int64(len(outside)), "rule.outside_videos.rejected": int64(len(outside))})
	rows := readJSONL[builtRow](t, prefix, "data")
	if len(rows) != len(inside) {
		t.Errorf("%d rows, want %d", len(rows), len(inside))
	}
	for _, r := range rows {
		if strings.Contains(string(r.Source), "outside") {
			t.Errorf("row %s from a video outside --videos: %s", r.ID, r.Source)
		}
	}
	dead := readJSONL[deadLetter](t, prefix, "deadletter")
	if len(dead) != len(outside) {
		t.Fatalf("%d dead letters, want %d: %+v", len(dead), len(outside), dead)
	}
	for _, d := range dead {
		if d.Stage != "video" || !strings.HasPrefix(d.Reason, "outside_videos: ") || d.Line <= int64(len(inside)) {
			t.Errorf("dead letter %+v: want stage video, reason outside_videos, one of the outside lines", d)
		}
	}
}
