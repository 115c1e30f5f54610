package writing

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rlcurate/rlcurate/internal/launch"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/report"
	"github.com/rlcurate/rlcurate/internal/store"
)

// LabelReport is the label job's launch.Reporter: outcomes per reference level from the
// written labels (judge failures, which have no level, are in the dead-letter table), the
// number of samples labelled, the judge usage, and each sample's reference level over
// training steps with the samples mastered, from the schedule the job labelled against.
func LabelReport(ctx context.Context, prefix string, m layout.Manifest, run report.Run) (*report.Report, error) {
	d := report.WritingLabelData{Run: run}
	levels := map[int]*report.LevelOutcome{}
	samples := map[string]bool{}
	err := launch.EachRow(ctx, prefix, m, layout.DataOutput, func(row []byte) error {
		var l LabelRow
		if err := json.Unmarshal(row, &l); err != nil {
			return err
		}
		o := levels[l.ReferenceIndex]
		if o == nil {
			o = &report.LevelOutcome{Level: l.ReferenceIndex}
			levels[l.ReferenceIndex] = o
		}
		switch l.Outcome {
		case "win":
			o.Wins++
		case "tie":
			o.Ties++
		case "loss":
			o.Losses++
		default:
			return fmt.Errorf("label %s: outcome %q", l.ID, l.Outcome)
		}
		samples[l.SampleID] = true
		d.LastStep = max(d.LastStep, int64(l.Step))
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, o := range levels {
		d.Outcomes = append(d.Outcomes, *o)
	}
	d.Samples = int64(len(samples))
	st, err := UsageOf(m.Extra)
	if err != nil {
		return nil, err
	}
	d.Judge = reportStats(st)
	if path, _ := m.Config["schedule"].(string); path != "" {
		state, err := store.Load(ctx, path)
		if err != nil {
			return nil, err
		}
		d.Progress, d.Mastered = Progress(state)
	}
	return report.WritingLabel(d), nil
}
