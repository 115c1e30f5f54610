package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/launch"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/report"
	"github.com/rlcurate/rlcurate/pipelines/writing"
)

// advanceReportPath is where writing advance writes its report: --report, else next to
// a file or gs:// output state, else nowhere ("").
func advanceReportPath(flagValue, output string) string {
	switch {
	case flagValue != "":
		return absPath(flagValue)
	case isDatabase(output):
		return ""
	default:
		return output + ".report.html"
	}
}

// writeAdvanceReport writes the report of the moves res made to path (nothing for "").
func writeAdvanceReport(ctx context.Context, path string, o writing.AdvanceOptions, res writing.AdvanceResult, took time.Duration) error {
	if path == "" {
		return nil
	}
	applied := res.Labels - res.Validation - res.Applied
	m := layout.Manifest{Job: "writing advance", Version: launch.Version(), Config: map[string]any{
		"schedule": o.Schedule, "input": o.Labels, "output": o.Output, "rule": o.Rule,
		"invocation": invocation, "versions": launch.Versions(), "started": time.Now().Add(-took).UTC().Format(time.RFC3339)}}
	run, _ := launch.RunInfo(ctx, "", m) // no dead-letter output to read
	run.Prefix = o.Output
	run.Counts = report.Counts{Read: int64(res.Labels), Written: int64(applied), Filtered: int64(res.Validation + res.Applied),
		Extra: map[string]int64{"validation (never applied)": int64(res.Validation), "already applied": int64(res.Applied)}}
	rep := report.WritingAdvance(report.WritingAdvanceData{Run: run, Moves: res.Moves, SamplesMoved: res.SamplesMoved,
		Mastered: res.Mastered, Samples: res.Samples, LevelsBefore: res.LevelsBefore, LevelsAfter: res.LevelsAfter})
	var buf bytes.Buffer
	if err := rep.Render(&buf); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := blob.WriteAtomic(ctx, path, buf.Bytes()); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fmt.Fprintf(os.Stderr, "report: %s\n", path)
	return nil
}
