package curriculum

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rlcurate/rlcurate/internal/launch"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/report"
)

// DifficultyReport is the difficulty job's launch.Reporter: decisions and the
// distribution of per-sample means with the band, read back from PREFIX/stats/.
func DifficultyReport(ctx context.Context, prefix string, m layout.Manifest, run report.Run) (*report.Report, error) {
	d := report.CurriculumDifficultyData{Run: run, Decisions: map[string]int64{}, BandLo: 0, BandHi: 1}
	if s, ok := m.Config["band"].(string); ok {
		if b, err := ParseBand(s); err == nil {
			d.BandLo, d.BandHi = b.Lo, b.Hi
		}
	}
	err := launch.EachRow(ctx, prefix, m, StatsOutput, func(row []byte) error {
		var st StatsRow
		if err := json.Unmarshal(row, &st); err != nil {
			return err
		}
		d.Means = append(d.Means, st.Mean)
		d.Rollouts = append(d.Rollouts, float64(st.N))
		if st.Dropped == "" {
			d.Decisions["kept"]++
		} else {
			d.Decisions[st.Dropped]++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return report.CurriculumDifficulty(d), nil
}

// MixReport is the mix job's launch.Reporter: the seed and each source's numbers, from
// the manifest's "mix" extra.
func MixReport(_ context.Context, _ string, m layout.Manifest, run report.Run) (*report.Report, error) {
	var sum MixSummary
	b, err := json.Marshal(m.Extra["mix"])
	if err == nil {
		err = json.Unmarshal(b, &sum)
	}
	if err != nil {
		return nil, fmt.Errorf("manifest extra mix: %w", err)
	}
	d := report.CurriculumMixData{Run: run, Seed: sum.Seed}
	for _, s := range sum.Sources {
		d.Sources = append(d.Sources, report.CurriculumMixSource{Name: s.Name, Weight: s.Weight, Quota: s.Quota, Rows: s.Rows, Distinct: s.Distinct})
	}
	return report.CurriculumMix(d), nil
}
