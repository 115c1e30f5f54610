package annotations

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
)

// musegRow is one row of MUSEG's JSONL. Solution is decoded as [][]float64
// so that segments with other than two numbers are caught (a [2]float64
// would silently drop or zero-fill).
type musegRow struct {
	Idx      *int64      `json:"idx"`
	Problem  *string     `json:"problem"`
	Solution [][]float64 `json:"solution"`
	Video    *string     `json:"video"`
	Duration *float64    `json:"duration"`
	Task     *string     `json:"task"`
}

// ParseMusegLine parses one row of MUSEG's JSONL (idx, problem, solution,
// video, duration, task). The problem is kept as the question (it is
// MUSEG's own wording); the query is the quoted span of the problem (see
// ExtractQuery) or, failing that, the whole problem text, recorded as the
// fix "query_fallback: …". duration may be missing or null (Charades rows).
// A blank line gives a *Filtered; invalid JSON, wrong types, a task other
// than tvg/tal, a missing problem or video, or a segment that is not two
// numbers give a *ParseError. An empty solution yields a sample without
// segments (Validate rejects it).
func ParseMusegLine(line string, loc Location, opts Options) (Sample, error) {
	b := bytes.TrimSpace([]byte(strings.TrimPrefix(line, "\ufeff")))
	if len(b) == 0 {
		return Sample{}, &Filtered{Reason: FilterBlankLine, Loc: loc}
	}
	if b[0] != '{' {
		return Sample{}, malformed(FormatMuseg, loc, nil, "row is not a JSON object")
	}
	var row musegRow
	if err := json.Unmarshal(b, &row); err != nil {
		return Sample{}, malformed(FormatMuseg, loc, err, "decode row")
	}
	if row.Task == nil {
		return Sample{}, malformed(FormatMuseg, loc, nil, "missing \"task\"")
	}
	task := Task(*row.Task)
	if !task.Valid() {
		return Sample{}, malformed(FormatMuseg, loc, nil, "task %q is not tvg or tal", *row.Task)
	}
	if row.Problem == nil || strings.TrimSpace(*row.Problem) == "" {
		return Sample{}, malformed(FormatMuseg, loc, nil, "missing \"problem\"")
	}
	if row.Video == nil || strings.TrimSpace(*row.Video) == "" {
		return Sample{}, malformed(FormatMuseg, loc, nil, "missing \"video\"")
	}
	if row.Duration != nil && (math.IsNaN(*row.Duration) || math.IsInf(*row.Duration, 0)) {
		return Sample{}, malformed(FormatMuseg, loc, nil, "duration is not finite")
	}
	solution := make([][2]float64, 0, len(row.Solution))
	for i, seg := range row.Solution {
		if len(seg) != 2 {
			return Sample{}, malformed(FormatMuseg, loc, nil, "solution[%d] has %d numbers, want [start, end]", i, len(seg))
		}
		solution = append(solution, [2]float64{seg[0], seg[1]})
	}
	query, quoted := ExtractQuery(*row.Problem)
	s := Sample{
		Key:      contentKey(FormatMuseg, b),
		Video:    opts.videoPath(*row.Video),
		Task:     task,
		Query:    query,
		Question: strings.TrimSpace(*row.Problem),
		Solution: solution,
		Format:   FormatMuseg,
		Origin:   loc.String(),
		Raw:      append(json.RawMessage(nil), b...),
	}
	if row.Duration != nil {
		s.Duration = durationPtr(*row.Duration)
	}
	if !quoted {
		s.Fixes = append(s.Fixes, FixQueryFallback+": no quoted query in the problem; used its whole text")
	}
	return s, nil
}
