package video

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/media"
	"github.com/rlcurate/rlcurate/internal/sampling"
)

// framesDone is PREFIX/frames/<key>/done.json, written once all of a video's frames are:
// what a rerun needs to reuse them without downloading, probing or decoding the video.
type framesDone struct {
	// Fingerprint is framesFingerprint of the video and settings the frames came from.
	Fingerprint string      `json:"fingerprint"`
	Probe       media.Info  `json:"probe"`
	DurationSec float64     `json:"duration_sec"`
	Frames      Frames      `json:"frames"`
	Stats       media.Stats `json:"stats"`
}

// donePath is where the framesDone of the video with key lives, under prefix.
func donePath(prefix, key string) string { return blob.Join(prefix, "frames", key, "done.json") }

// framesVersion changes when the same settings make other frames: 2 since the colour
// matrix follows the stream's tag and the resize is torchvision's, in RGB (issue 16).
const framesVersion = 2

// framesFingerprint names what a video's frames depend on: the video's location and
// size, the sampling settings, the JPEG quantiser, the colour matrix and the image
// format (defaults spelled out, so "" and "auto" agree), and framesVersion. It is empty
// when the video's size cannot be read (a missing video: the normal path reports it) or
// the frame options are invalid.
func framesFingerprint(ctx context.Context, src string, opts sampling.Options, qscale int, frames FrameOptions) string {
	size, err := blob.Size(ctx, src)
	if err != nil {
		return ""
	}
	frames, err = frames.Normalized()
	if err != nil {
		return ""
	}
	b, err := json.Marshal(struct {
		Version  int              `json:"version"`
		Video    string           `json:"video"`
		Size     int64            `json:"size"`
		Sampling sampling.Options `json:"sampling"`
		QScale   int              `json:"qscale"`
		Frames   FrameOptions     `json:"frames"`
	}{framesVersion, src, size, opts, qscale, frames})
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// readDone returns the framesDone under prefix for key when it exists, matches
// fingerprint and every frame it lists is there. Anything else (no marker, unreadable,
// other settings, a frame deleted since) means decode again.
func readDone(ctx context.Context, prefix, key, fingerprint string) (framesDone, bool) {
	if fingerprint == "" {
		return framesDone{}, false
	}
	b, err := blob.ReadFile(ctx, donePath(prefix, key))
	if err != nil {
		return framesDone{}, false
	}
	var d framesDone
	if json.Unmarshal(b, &d) != nil || d.Fingerprint != fingerprint || len(d.Frames.Paths) == 0 {
		return framesDone{}, false
	}
	return d, allPresent(ctx, prefix, key, d.Frames.Paths)
}

// allPresent reports whether every frame in paths (relative to prefix) is in the video's
// frame folder, with one listing of the folder.
func allPresent(ctx context.Context, prefix, key string, paths []string) bool {
	files, err := frameFiles(ctx, prefix, key)
	if err != nil {
		return false
	}
	for _, p := range paths {
		if !files[blob.Join(prefix, p)] {
			return false
		}
	}
	return true
}

// writeDone records that the frames of the video with key are complete.
func writeDone(ctx context.Context, prefix, key string, d framesDone) error {
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("frames of %s: encode done marker: %w", key, err)
	}
	return writeWhole(ctx, donePath(prefix, key), b)
}

// removeDone removes the marker of the video with key before its frames are rewritten,
// so a marker never describes frames another run has partly replaced.
func removeDone(ctx context.Context, prefix, key string) error {
	return blob.Remove(ctx, donePath(prefix, key))
}
