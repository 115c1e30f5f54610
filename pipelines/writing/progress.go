package writing

import (
	"sort"

	"github.com/rlcurate/rlcurate/internal/report"
	"github.com/rlcurate/rlcurate/schedule"
)

// Progress turns a schedule's history into each sample's reference level over training
// steps (level 0 at step 0, then every move), sorted by sample id, and counts the samples
// that mastered their ladder. A nil state has no progress.
func Progress(st *schedule.State) (progress []report.SampleProgress, mastered int64) {
	if st == nil {
		return nil, 0
	}
	bySample := map[string][]report.LevelAt{}
	for id := range st.Samples {
		bySample[id] = []report.LevelAt{{Step: 0, Level: 0}}
	}
	for _, m := range st.History {
		if _, ok := bySample[m.Sample]; !ok {
			bySample[m.Sample] = []report.LevelAt{{Step: 0, Level: m.From}}
		}
		bySample[m.Sample] = append(bySample[m.Sample], report.LevelAt{Step: int64(m.Step), Level: m.To})
	}
	for id, h := range bySample {
		progress = append(progress, report.SampleProgress{SampleID: id, History: h})
	}
	sort.Slice(progress, func(i, j int) bool { return progress[i].SampleID < progress[j].SampleID })
	for _, s := range st.Samples {
		if s.Mastered() {
			mastered++
		}
	}
	return progress, mastered
}
