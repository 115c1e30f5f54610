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
// from the manifest's "rule.<rule>.<outcome>" counts, segments, segment durations and
// frames per sample from the written rows, and video durations and decode throughput
// from the per-video records.
func BuildReport(ctx context.Context, prefix string, m layout.Manifest, run report.Run) (*report.Report, error) {
	d := report.VideoBuildData{Run: run, Validation: RuleOutcomes(m.Counts)}
	err := launch.EachRow(ctx, prefix, m, layout.DataOutput, func(b []byte) error {
		var r Row
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		d.SegmentsPerSample = append(d.SegmentsPerSample, len(r.Solution))
		for _, seg := range r.Solution {
			d.SegmentDurationsSec = append(d.SegmentDurationsSec, seg[1]-seg[0])
		}
		d.FramesPerSample = append(d.FramesPerSample, len(r.Frames.Paths))
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = launch.EachRow(ctx, prefix, m, VideosOutput, func(b []byte) error {
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
		return nil
	})
	if err != nil {
		return nil, err
	}
	return report.VideoBuild(d), nil
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
