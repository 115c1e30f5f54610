package video

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/media"
	"github.com/rlcurate/rlcurate/internal/sampling"
	"golang.org/x/sync/errgroup"
)

// The video-level rules: a sample whose video cannot be read or sampled is dead-lettered
// under "video_<class>", one class per media sentinel error, plus video_unsampleable for
// a video sampling cannot plan (fewer than 2 frames, a degenerate size).
const (
	ClassNotFound     = "not_found"
	ClassInvalid      = "invalid"
	ClassNoVideo      = "no_video"
	ClassUnsupported  = "unsupported"
	ClassTruncated    = "truncated"
	ClassCorrupt      = "corrupt"
	ClassTimeout      = "timeout"
	ClassPlan         = "bad_plan"
	ClassUnsampleable = "unsampleable"
	ClassOther        = "unreadable"
)

// MediaClass names the class of a media or sampling error: the sentinel it wraps
// (ClassNotFound for media.ErrNotFound, and so on; sampling.ErrTooFewFrames and
// sampling.ErrBadSize give ClassUnsampleable). Any other error gives ClassOther.
func MediaClass(err error) string {
	for _, c := range []struct {
		err   error
		class string
	}{
		{media.ErrNotFound, ClassNotFound},
		{media.ErrInvalid, ClassInvalid},
		{media.ErrNoVideo, ClassNoVideo},
		{media.ErrUnsupported, ClassUnsupported},
		{media.ErrTruncated, ClassTruncated},
		{media.ErrCorrupt, ClassCorrupt},
		{media.ErrTimeout, ClassTimeout},
		{media.ErrPlan, ClassPlan},
		{sampling.ErrTooFewFrames, ClassUnsampleable},
		{sampling.ErrBadSize, ClassUnsampleable},
	} {
		if errors.Is(err, c.err) {
			return c.class
		}
	}
	return ClassOther
}

// VideoRule is the rule name under which samples of a video of class c are rejected.
func VideoRule(class string) string { return "video_" + class }

// VideoDurationSec is the duration the samples are validated against: the video
// stream's frame count over its average frame rate (total_frames / video_fps, the
// clock qwen-vl-utils samples on, so a segment is checked against the frames the trainer
// sees), else the stream's duration, else the container's. A container duration can be
// longer than the video (a longer audio track), hence the order.
func VideoDurationSec(info media.Info) float64 {
	if fps := info.FPS(); info.Frames > 0 && fps > 0 {
		return float64(info.Frames) / fps
	}
	if info.StreamDurationSec > 0 {
		return info.StreamDurationSec
	}
	return info.DurationSec
}

// ResolveVideo returns where the video an annotation names lives: the path itself when
// it is absolute or a gs:// URL, else the path under root.
func ResolveVideo(root, video string) string {
	if blob.IsGCS(video) || strings.HasPrefix(video, "/") || root == "" {
		return video
	}
	return blob.Join(root, video)
}

// localVideo gives FFmpeg a local file for p: p itself when it is local, else a copy of
// the gs:// object streamed through blob into a temporary file (FFmpeg reads local
// paths only; the copy is removed by the returned cleanup). A missing object is an error
// wrapping media.ErrNotFound, like a missing local file.
func localVideo(ctx context.Context, p string) (local string, cleanup func(), err error) {
	if !blob.IsGCS(p) {
		return p, func() {}, nil
	}
	ok, err := blob.Exists(ctx, p)
	if err != nil {
		return "", nil, fmt.Errorf("video %s: %w", p, err)
	}
	if !ok {
		return "", nil, fmt.Errorf("video %s: %w", p, media.ErrNotFound)
	}
	r, err := blob.Open(ctx, p)
	if err != nil {
		return "", nil, fmt.Errorf("video %s: %w", p, err)
	}
	defer r.Close()
	f, err := os.CreateTemp("", "rlcurate-video-*"+path.Ext(p))
	if err != nil {
		return "", nil, fmt.Errorf("video %s: temporary copy: %w", p, err)
	}
	cleanup = func() { os.Remove(f.Name()) }
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		cleanup()
		return "", nil, fmt.Errorf("video %s: download: %w", p, err)
	}
	if err := f.Close(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("video %s: temporary copy: %w", p, err)
	}
	return f.Name(), cleanup, nil
}

// frameWriters is how many frames of one video are written at once: object stores
// answer each write after tens of milliseconds, and a video has up to 448 frames.
const frameWriters = 16

// writeFrames writes images[i] to PREFIX/paths[i] for every i, frameWriters at a time,
// and returns the first error.
func writeFrames(ctx context.Context, prefix string, paths []string, images [][]byte) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(frameWriters)
	for i, p := range paths {
		g.Go(func() error { return writeWhole(ctx, blob.Join(prefix, p), images[i]) })
	}
	return g.Wait()
}

// framePath is FramePath with the extension of format: frames/<key>/<index>.jpg or .png.
func framePath(key string, frameIndex int, format media.FrameFormat) string {
	p := FramePath(key, frameIndex)
	return strings.TrimSuffix(p, path.Ext(p)) + "." + format.Ext()
}

// frameFiles returns the set of frames, JPEG and PNG (full paths), in the frame folder of
// the video with key under prefix, from one listing per extension.
func frameFiles(ctx context.Context, prefix, key string) (map[string]bool, error) {
	set := map[string]bool{}
	for _, f := range []media.FrameFormat{media.FrameJPEG, media.FramePNG} {
		files, err := blob.List(ctx, blob.Join(prefix, "frames", key, "*."+f.Ext()))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			set[f] = true
		}
	}
	return set, nil
}

// pruneFrames removes the frames under PREFIX/frames/<key>/ that keep (paths relative to
// prefix) does not list: frames an earlier run wrote for another plan of the same video.
func pruneFrames(ctx context.Context, prefix, key string, keep []string) error {
	files, err := frameFiles(ctx, prefix, key)
	if err != nil {
		return err
	}
	for _, p := range keep {
		delete(files, blob.Join(prefix, p))
	}
	for f := range files {
		if err := blob.Remove(ctx, f); err != nil {
			return err
		}
	}
	return nil
}

// writeWhole writes data (a frame, a marker) under its final name all or nothing: a local
// file through a temporary name and a rename, a gs:// object directly (an object appears
// only once its upload completes).
func writeWhole(ctx context.Context, p string, data []byte) error {
	if !blob.IsGCS(p) {
		return blob.WriteAtomic(ctx, p, data)
	}
	w, err := blob.Create(ctx, p)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		w.Close()
		return fmt.Errorf("write %s: %w", p, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	return nil
}
