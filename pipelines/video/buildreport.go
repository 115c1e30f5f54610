package video

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/rlcurate/rlcurate/internal/launch"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/report"
)

// VideosOutput is the output folder of the per-video records (VideoRecord).
const VideosOutput = "videos"

// BuildReport is the video build job's launch.Reporter: validation outcomes per rule
// from the manifest's "rule.<rule>.<outcome>" counts; segments, segment durations and
// frames per sample from a uniform sample of at most reportSample written rows (so the
// launcher's memory is flat in the number of rows); example samples (the rows with the
// smallest ids); and video durations, decode throughput, the per-video table and the frame
// strips from the per-video records.
func BuildReport(ctx context.Context, prefix string, m layout.Manifest, run report.Run) (*report.Report, error) {
	return buildReport(ctx, prefix, m, run, reportSample)
}

// buildReport is BuildReport with the per-sample distributions drawn from at most
// sampleRows rows.
func buildReport(ctx context.Context, prefix string, m layout.Manifest, run report.Run, sampleRows int) (*report.Report, error) {
	d := report.VideoBuildData{Run: run, Validation: RuleOutcomes(m.Counts)}
	err := launch.EachRow(ctx, prefix, m, VideosOutput, func(b []byte) error {
		var v VideoRecord
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		if v.Probe != nil {
			d.VideoDurationsSec = append(d.VideoDurationsSec, v.DurationSec)
		}
		if v.DecodeFPS > 0 {
			d.DecodeFPS = append(d.DecodeFPS, v.DecodeFPS)
		}
		d.Videos = append(d.Videos, videoRow(v))
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.VideoCount = len(d.Videos)
	sort.Slice(d.Videos, func(i, j int) bool { return d.Videos[i].Video < d.Videos[j].Video })
	d.Videos = d.Videos[:min(len(d.Videos), report.MaxVideoRows)]
	strips := newStrips(d.Videos, thumbVideos, thumbsPerVideo)
	sample := report.NewReservoir[rowStats](sampleRows, 1)
	ex := &examples{n: report.MaxVideoExamples}
	err = launch.EachRow(ctx, prefix, m, layout.DataOutput, func(b []byte) error {
		var r Row
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		if i := sample.Offer(); i >= 0 {
			sample.Items[i] = statsOf(&r)
		}
		ex.offer(&r)
		strips.offer(r.Video, r.Frames.Paths)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, s := range sample.Items {
		d.SegmentsPerSample = append(d.SegmentsPerSample, len(s.segmentSec))
		d.SegmentDurationsSec = append(d.SegmentDurationsSec, s.segmentSec...)
		d.FramesPerSample = append(d.FramesPerSample, s.frames)
	}
	d.Rows, d.Examples = sample.Seen, ex.rows
	d.Thumbs = strips.render(ctx, prefix)
	return report.VideoBuild(d), nil
}

// videoRow is the per-video table's row of a video record.
func videoRow(v VideoRecord) report.VideoRow {
	row := report.VideoRow{Video: v.Video, DurationSec: v.DurationSec, Frames: v.Frames, Samples: v.Samples, Dead: v.Samples - v.Written, Status: "ok"}
	if p := v.Probe; p != nil {
		row.Codec, row.Width, row.Height, row.FPS = p.Codec, p.DisplayWidth, p.DisplayHeight, p.AvgFPS
	}
	switch {
	case v.Error != "":
		row.Status = v.Class + ": " + v.Error
	case v.Reused:
		row.Status = "reused"
	}
	return row
}

// RuleOutcomes turns the manifest counts named "rule.<rule>.<outcome>" into report
// rows, sorted by rule then outcome. Other counts are ignored.
func RuleOutcomes(counts map[string]int64) []report.OutcomeCount {
	var out []report.OutcomeCount
	for k, n := range counts {
		rest, ok := strings.CutPrefix(k, "rule.")
		if !ok {
			continue
		}
		i := strings.LastIndexByte(rest, '.')
		if i <= 0 {
			continue
		}
		out = append(out, report.OutcomeCount{Rule: rest[:i], Outcome: rest[i+1:], Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Rule != out[j].Rule {
			return out[i].Rule < out[j].Rule
		}
		return out[i].Outcome < out[j].Outcome
	})
	return out
}
