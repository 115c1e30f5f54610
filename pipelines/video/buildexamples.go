package video

import (
	"sort"

	"github.com/rlcurate/rlcurate/internal/report"
)

// examples keeps the written rows with the n smallest ids as the report's example
// samples, in id order: the choice is the same whatever order the rows are read in.
type examples struct {
	n    int
	rows []report.VideoExample
}

// offer keeps r if its id is among the n smallest offered so far (a later row with an
// id equal to a kept one goes after it).
func (e *examples) offer(r *Row) {
	if e.n <= 0 || len(e.rows) == e.n && r.ID >= e.rows[len(e.rows)-1].ID {
		return
	}
	i := sort.Search(len(e.rows), func(i int) bool { return e.rows[i].ID > r.ID })
	ex := report.VideoExample{ID: r.ID, Video: r.Video, Task: string(r.Task), Query: r.Query, DurationSec: r.Duration,
		Segments: r.Solution, FrameTimesSec: r.Frames.Timestamps}
	e.rows = append(e.rows, report.VideoExample{})
	copy(e.rows[i+1:], e.rows[i:])
	e.rows[i] = ex
	e.rows = e.rows[:min(len(e.rows), e.n)]
}

// rowStats is what the report's per-sample distributions need of one written row.
type rowStats struct {
	segmentSec []float64 // the lengths of its ground-truth segments
	frames     int       // its sampled frames
}

// statsOf is r's rowStats.
func statsOf(r *Row) rowStats {
	s := rowStats{segmentSec: make([]float64, len(r.Solution)), frames: len(r.Frames.Paths)}
	for i, seg := range r.Solution {
		s.segmentSec[i] = seg[1] - seg[0]
	}
	return s
}
