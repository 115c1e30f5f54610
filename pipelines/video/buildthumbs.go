package video

import (
	"context"
	"path/filepath"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/report"
)

// The report shows frame strips of the first thumbVideos videos of its table, each of
// thumbsPerVideo evenly spaced frames of the video's first sample, thumbWidth pixels wide.
const (
	thumbVideos    = 24
	thumbsPerVideo = 8
	thumbWidth     = 96
)

// strips collects, for the videos chosen, the frame paths of their first sample row.
type strips struct {
	order []string            // the videos, in table order
	paths map[string][]string // video -> chosen frame paths (nil until a row offers them)
	per   int
}

// newStrips chooses the first n videos of rows that have frames.
func newStrips(rows []report.VideoRow, n, per int) *strips {
	s := &strips{paths: map[string][]string{}, per: per}
	for _, r := range rows {
		if len(s.order) == n {
			break
		}
		if r.Frames > 0 {
			s.order = append(s.order, r.Video)
			s.paths[r.Video] = nil
		}
	}
	return s
}

// offer takes the frame paths of a sample row of video, if the video is chosen and has
// none yet: per paths evenly spaced over them.
func (s *strips) offer(video string, paths []string) {
	have, chosen := s.paths[video]
	if !chosen || have != nil || len(paths) == 0 {
		return
	}
	n := min(s.per, len(paths))
	picked := make([]string, n)
	for i := range n {
		picked[i] = paths[i*len(paths)/n]
	}
	s.paths[video] = picked
}

// render reads the chosen frames (paths relative to prefix) and makes their thumbnails;
// a frame that cannot be read or decoded is left out of its strip.
func (s *strips) render(ctx context.Context, prefix string) []report.ThumbStrip {
	var out []report.ThumbStrip
	for _, v := range s.order {
		strip := report.ThumbStrip{Label: v}
		for _, p := range s.paths[v] {
			if !blob.IsGCS(p) && !filepath.IsAbs(p) {
				p = blob.Join(prefix, p) // data rows name frames relative to the prefix
			}
			b, err := blob.ReadFile(ctx, p)
			if err != nil {
				continue
			}
			if uri, err := report.Thumbnail(b, thumbWidth); err == nil {
				strip.Images = append(strip.Images, uri)
			}
		}
		if len(strip.Images) > 0 {
			out = append(out, strip)
		}
	}
	return out
}
