package video

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/rlcurate/rlcurate/internal/launch"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/report"
	"github.com/rlcurate/rlcurate/rewards"
)

// ScoreReport is the video score job's launch.Reporter: reward distributions per
// component and phase, read back from the written scores (a uniform sample of at most
// reportSample rows).
func ScoreReport(ctx context.Context, prefix string, m layout.Manifest, run report.Run) (*report.Report, error) {
	sample := report.NewReservoir[[]byte](reportSample, 1)
	err := launch.EachRow(ctx, prefix, m, layout.DataOutput, func(row []byte) error {
		if i := sample.Offer(); i >= 0 {
			sample.Items[i] = bytes.Clone(row) // only the rows kept are decoded, at the end
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	byPhase := map[int]*report.PhaseRewards{}
	var order []int
	for _, row := range sample.Items {
		var sc rewards.MusegScore
		if err := json.Unmarshal(row, &sc); err != nil {
			return nil, err
		}
		pr, ok := byPhase[sc.Phase]
		if !ok {
			pr = &report.PhaseRewards{Phase: fmt.Sprintf("phase %d", sc.Phase)}
			byPhase[sc.Phase] = pr
			order = append(order, sc.Phase)
		}
		pr.Format, pr.Global = append(pr.Format, sc.Format), append(pr.Global, sc.GlobalMatching)
		pr.Local, pr.Total = append(pr.Local, sc.LocalMatching), append(pr.Total, sc.Total)
	}
	slices.Sort(order)
	d := report.VideoScoreData{Run: run}
	for _, ph := range order {
		pr := *byPhase[ph]
		if sample.Sampled() {
			pr.Phase += fmt.Sprintf(" (from a uniform sample of %d of the job's %d rows)", len(sample.Items), sample.Seen)
		}
		d.Phases = append(d.Phases, pr)
	}
	return report.VideoScore(d), nil
}

// reportSample is the most score rows the report's distributions are drawn from: a
// uniform sample beyond it keeps the report's memory and time flat in the job's size.
const reportSample = 100000
