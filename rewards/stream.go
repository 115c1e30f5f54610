package rewards

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
)

// maxRowBytes bounds one JSONL row (completions are a few kB).
const maxRowBytes = 64 << 20

// StreamStats counts the rows ScoreStream handled.
type StreamStats struct {
	Scored int // rows written as MusegScore
	Failed int // rows written as ErrorRow
}

// ErrorRow is what ScoreStream writes for a row it cannot score.
type ErrorRow struct {
	ID    string `json:"id,omitempty"`
	Line  int    `json:"line"`
	Error string `json:"error"`
}

// ScoreStream reads JSONL input rows (see DecodeMusegInput) from r and writes one
// JSON line per row to w, in order: a MusegScore, or an ErrorRow with the 1-based
// line number and the reason when the row cannot be scored (bad JSON, no
// completion, bad solution, a Strict-mode solution error, or a score that is not
// finite, which JSON cannot hold). Blank lines are skipped. Bad rows never stop
// the stream; only read and write errors are returned.
func ScoreStream(r io.Reader, w io.Writer, plan Plan, mode Mode) (StreamStats, error) {
	var st StreamStats
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxRowBytes)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for line := 1; sc.Scan(); line++ {
		row := sc.Bytes()
		if len(trimASCIISpace(row)) == 0 {
			continue
		}
		var out any
		in, err := DecodeMusegInput(row)
		var score MusegScore
		if err == nil {
			score, err = Museg(in, plan, mode)
		}
		if err == nil && !finiteScore(score) {
			err = fmt.Errorf("score is not finite (%v), as the reference's would be", score.Total)
		}
		if err != nil {
			st.Failed++
			out = ErrorRow{ID: in.ID, Line: line, Error: err.Error()}
		} else {
			st.Scored++
			out = score
		}
		if err := enc.Encode(out); err != nil {
			return st, fmt.Errorf("write row %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return st, fmt.Errorf("read rows: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("write rows: %w", err)
	}
	return st, nil
}

func finiteScore(s MusegScore) bool {
	for _, v := range []float64{s.Format, s.GlobalMatching, s.LocalMatching, s.Total} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
