package video

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rlcurate/rlcurate/internal/media"
)

func TestConfineVideo(t *testing.T) {
	tests := []struct {
		name, root, video string
		want              string // "" = refused as outside
	}{
		{"relative", "/data/v", "a.mp4", "/data/v/a.mp4"},
		{"nested", "/data/v", "sub/dir/a.mp4", "/data/v/sub/dir/a.mp4"},
		{"dot segments inside", "/data/v", "./sub/../a.mp4", "/data/v/a.mp4"},
		{"root with trailing slash", "/data/v/", "a.mp4", "/data/v/a.mp4"},
		{"name starting with dots", "/data/v", "..a.mp4", "/data/v/..a.mp4"},
		{"absolute inside", "/data/v", "/data/v/sub/a.mp4", "/data/v/sub/a.mp4"},
		{"dotdot", "/data/v", "../secret.mp4", ""},
		{"sub dotdot dotdot", "/data/v", "sub/../../secret.mp4", ""},
		{"deep dotdot", "/data/v", "a/b/../../../../etc/passwd", ""},
		{"absolute outside", "/data/v", "/etc/passwd", ""},
		{"absolute sibling prefix", "/data/v", "/data/videos2/a.mp4", ""},
		{"absolute dotdot", "/data/v", "/data/v/../x.mp4", ""},
		{"the root itself", "/data/v", ".", ""},
		{"the root itself by dotdot", "/data/v", "sub/..", ""},
		{"empty", "/data/v", "", ""},
		{"no root", "", "a.mp4", ""},
		{"gs url under local root", "/data/v", "gs://b/v/a.mp4", ""},

		{"gcs relative", "gs://b/v", "a/b.mp4", "gs://b/v/a/b.mp4"},
		{"gcs trailing slash", "gs://b/v/", "a.mp4", "gs://b/v/a.mp4"},
		{"gcs inner dotdot", "gs://b/v", "x/../a.mp4", "gs://b/v/a.mp4"},
		{"gcs bucket root", "gs://b", "a.mp4", "gs://b/a.mp4"},
		{"gcs url inside", "gs://b/v", "gs://b/v/a.mp4", "gs://b/v/a.mp4"},
		{"gcs dotdot", "gs://b/v", "../w/a.mp4", ""},
		{"gcs sub dotdot dotdot", "gs://b/v", "sub/../../a.mp4", ""},
		{"gcs dotdot above bucket", "gs://b", "../c/a.mp4", ""},
		{"gcs other bucket", "gs://b/v", "gs://c/v/a.mp4", ""},
		{"gcs other prefix", "gs://b/v", "gs://b/w/a.mp4", ""},
		{"gcs sibling prefix", "gs://b/v", "gs://b/v2/a.mp4", ""},
		{"gcs url dotdot", "gs://b/v", "gs://b/v/../w/a.mp4", ""},
		{"gcs local absolute", "gs://b/v", "/etc/passwd", ""},
		{"gcs the prefix itself", "gs://b/v", ".", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ConfineVideo(tc.root, tc.video)
			if tc.want == "" {
				if !errors.Is(err, ErrOutsideVideos) {
					t.Errorf("ConfineVideo(%q, %q) = %q, %v; want refused as outside", tc.root, tc.video, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("ConfineVideo(%q, %q) = %q, %v; want %q", tc.root, tc.video, got, err, tc.want)
			}
		})
	}
}

// TestResolveVideoConfined runs the six path forms of issue 14 and the allowed ones on
// a real tree with symlinks: every form that leaves the root is refused, whatever the
// file it names.
func TestResolveVideoConfined(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "videos")
	outside := filepath.Join(base, "secret")
	for _, d := range []string{filepath.Join(root, "sub", "deep"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(root, "a.mp4"), filepath.Join(root, "sub", "deep", "b.mp4"),
		filepath.Join(outside, "s.mp4"), filepath.Join(base, "top.mp4")} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	link(filepath.Join(outside, "s.mp4"), "file-out.mp4") // a symlinked file pointing outside
	link(outside, "dir-out")                              // a symlinked folder pointing outside
	link(filepath.Join(root, "sub", "deep", "b.mp4"), "file-in.mp4")
	link("sub/deep", "dir-in") // relative, inside
	link("../secret", "rel-out")

	tests := []struct {
		video string
		want  string // path opened; "" = outside_videos; "-" = not found
	}{
		{"../top.mp4", ""},
		{"sub/../../top.mp4", ""},
		{filepath.Join(outside, "s.mp4"), ""},
		{"file-out.mp4", ""},
		{"dir-out/s.mp4", ""},
		{"rel-out/s.mp4", ""},
		{"a.mp4", filepath.Join(root, "a.mp4")},
		{"sub/deep/b.mp4", filepath.Join(root, "sub", "deep", "b.mp4")},
		{"file-in.mp4", filepath.Join(root, "sub", "deep", "b.mp4")},
		{"dir-in/b.mp4", filepath.Join(root, "sub", "deep", "b.mp4")},
		{filepath.Join(root, "a.mp4"), filepath.Join(root, "a.mp4")},
		{"missing.mp4", "-"},
		{"dir-out/missing.mp4", "-"},
	}
	for _, tc := range tests {
		t.Run(tc.video, func(t *testing.T) {
			got, err := resolveVideo(root, tc.video, true)
			switch tc.want {
			case "":
				if !errors.Is(err, ErrOutsideVideos) {
					t.Errorf("resolveVideo(%q) = %q, %v; want outside_videos", tc.video, got, err)
				}
				if err != nil && MediaClass(err) == ClassNotFound {
					t.Errorf("resolveVideo(%q): %v is also not found", tc.video, err)
				}
			case "-":
				if !errors.Is(err, media.ErrNotFound) {
					t.Errorf("resolveVideo(%q) = %q, %v; want not found", tc.video, got, err)
				}
			default:
				if err != nil || got != tc.want {
					t.Errorf("resolveVideo(%q) = %q, %v; want %q", tc.video, got, err, tc.want)
				}
			}
		})
	}

	// A root reached through a symlink holds its own files.
	viaLink := filepath.Join(base, "videos-link")
	if err := os.Symlink(root, viaLink); err != nil {
		t.Fatal(err)
	}
	if got, err := resolveVideo(viaLink, "dir-in/b.mp4", true); err != nil || got != filepath.Join(root, "sub", "deep", "b.mp4") {
		t.Errorf("through a symlinked root: %q, %v", got, err)
	}
	if _, err := resolveVideo(viaLink, "file-out.mp4", true); !errors.Is(err, ErrOutsideVideos) {
		t.Errorf("through a symlinked root, a link out: %v, want outside_videos", err)
	}
	// --allow-outside-videos: the old, unchecked resolution.
	if got, err := resolveVideo(root, "../top.mp4", false); err != nil || got != filepath.Join(base, "top.mp4") {
		t.Errorf("allowed outside: %q, %v", got, err)
	}
}
