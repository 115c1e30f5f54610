package video

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/media"
)

// RuleOutsideVideos is the rule (and dead-letter reason) of a sample whose video path
// resolves outside the --videos root. Such a video is never opened.
const RuleOutsideVideos = "outside_videos"

// ErrOutsideVideos is wrapped by the error of a video path that leaves the --videos root.
var ErrOutsideVideos = errors.New("resolves outside --videos")

// ConfineVideo returns where the video an annotation names lives when it lies under
// root, from the paths alone (no file is touched): for a local root, the video joined
// to the root and cleaned; for a gs:// root, the object in the root's bucket under the
// root's prefix (cleaned). An absolute path or a gs:// URL is accepted when it already
// lies under the root. A path that leaves the root (through "..", an absolute path, a
// URL of another bucket or prefix, a local path under a gs:// root and the reverse) or
// names the root itself gives an error wrapping ErrOutsideVideos. Symlinks are the
// caller's to resolve (resolveVideo).
func ConfineVideo(root, video string) (string, error) {
	outside := fmt.Errorf("video %q: %w %s", video, ErrOutsideVideos, root)
	if root == "" || video == "" {
		return "", outside
	}
	if blob.IsGCS(root) {
		return confineGCS(root, video, outside)
	}
	if blob.IsGCS(video) {
		return "", outside
	}
	r := filepath.Clean(root)
	p := filepath.Clean(video)
	if !filepath.IsAbs(p) {
		p = filepath.Join(r, p)
	}
	if !within(r, p) {
		return "", outside
	}
	return p, nil
}

// confineGCS is ConfineVideo for a gs:// root.
func confineGCS(root, video string, outside error) (string, error) {
	bucket, prefix, _ := strings.Cut(strings.TrimPrefix(root, "gs://"), "/")
	if bucket == "" {
		return "", outside
	}
	prefix = strings.Trim(path.Clean("/"+prefix), "/")
	var object string
	switch {
	case blob.IsGCS(video):
		b, o, _ := strings.Cut(strings.TrimPrefix(video, "gs://"), "/")
		if b != bucket {
			return "", outside
		}
		object = o
	case strings.HasPrefix(video, "/"):
		return "", outside // a local absolute path is not in the bucket
	default:
		// Relative: under the prefix. A ".." that climbs above the bucket's top stays
		// visible after cleaning as a leading "..".
		object = path.Join(prefix, video)
		if object == ".." || strings.HasPrefix(object, "../") {
			return "", outside
		}
	}
	object = strings.TrimPrefix(path.Clean("/"+object), "/")
	if object == "" || object == prefix || (prefix != "" && !strings.HasPrefix(object, prefix+"/")) {
		return "", outside
	}
	return "gs://" + bucket + "/" + object, nil
}

// within reports whether the clean path p lies strictly under the clean directory root.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == "." || filepath.IsAbs(rel) {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// resolveVideo returns the location to open for the video an annotation names. With
// confine (the default; --allow-outside-videos turns it off) it is ConfineVideo's, and
// for a local root the path with every symlink resolved, the root's too, which must
// still lie under the resolved root: a symlinked file or folder that points out of the
// root is refused like a "..". The caller opens the returned path, never the
// annotation's, so what was checked is what is read. A local video that does not exist
// gives an error wrapping media.ErrNotFound; one that leaves the root an error wrapping
// ErrOutsideVideos. Without confine it is ResolveVideo's, unchecked.
func resolveVideo(root, video string, confine bool) (string, error) {
	if !confine {
		return ResolveVideo(root, video), nil
	}
	p, err := ConfineVideo(root, video)
	if err != nil || blob.IsGCS(p) {
		return p, err
	}
	realRoot, err := filepath.EvalSymlinks(filepath.Clean(root))
	if err != nil {
		return "", fmt.Errorf("--videos %s: %w", root, notFound(err))
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", fmt.Errorf("video %s: %w", p, notFound(err))
	}
	if !within(realRoot, real) {
		return "", fmt.Errorf("video %q: %w %s (through a symlink)", video, ErrOutsideVideos, root)
	}
	return real, nil
}

// notFound wraps media.ErrNotFound around a missing file's error, so that the video is
// dead-lettered as video_not_found.
func notFound(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %w", media.ErrNotFound, err)
	}
	return err
}
