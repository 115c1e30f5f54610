package video

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rlcurate/rlcurate/internal/launch"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/report"
	"github.com/rlcurate/rlcurate/rewards"
)

// ScoreReport is the video score job's launch.Reporter: reward distributions per
// component and phase, read back from the written scores.
func ScoreReport(ctx context.Context, prefix string, m layout.Manifest, run report.Run) (*report.Report, error) {
	byPhase := map[int]*report.PhaseRewards{}
	var order []int
	err := launch.EachRow(ctx, prefix, m, layout.DataOutput, func(row []byte) error {
		var sc rewards.MusegScore
		if err := json.Unmarshal(row, &sc); err != nil {
			return err
		}
		pr, ok := byPhase[sc.Phase]
		if !ok {
			pr = &report.PhaseRewards{Phase: fmt.Sprintf("phase %d", sc.Phase)}
			byPhase[sc.Phase] = pr
			order = append(order, sc.Phase)
		}
		pr.Format = append(pr.Format, sc.Format)
		pr.Global = append(pr.Global, sc.GlobalMatching)
		pr.Local = append(pr.Local, sc.LocalMatching)
		pr.Total = append(pr.Total, sc.Total)
		return nil
	})
	if err != nil {
		return nil, err
	}
	d := report.VideoScoreData{Run: run}
	for _, ph := range order {
		d.Phases = append(d.Phases, *byPhase[ph])
	}
	return report.VideoScore(d), nil
}
