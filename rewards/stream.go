package rewards

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
)

// MaxRowBytes is ScoreStream's default bound of one JSONL row (completions are a few kB);
// a longer row is answered with an ErrorRow, read in bounded memory.
const MaxRowBytes = 64 << 20

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

// ScoreStream is ScoreStreamMax with rows of at most MaxRowBytes.
func ScoreStream(r io.Reader, w io.Writer, plan Plan, mode Mode) (StreamStats, error) {
	return ScoreStreamMax(r, w, plan, mode, MaxRowBytes)
}

// ScoreStreamMax reads JSONL input rows (see DecodeMusegInput) from r and writes one
// JSON line per row to w, in order: a MusegScore, or an ErrorRow with the 1-based line
// number, the row's id where it can be read, and the reason when the row cannot be
// scored (longer than maxRowBytes, bad JSON, no completion, bad solution, a Strict-mode
// solution error, or a score that is not finite, which JSON cannot hold). Blank lines are
// skipped. Bad rows never stop the stream; only read and write errors are returned.
//
// It works line by line in bounded memory (a row over maxRowBytes is skipped to its
// newline, not held) and flushes its answers whenever no complete row is waiting in its
// input buffer, before a read that could block: a caller that writes one row and waits
// gets its answer, while a piped file is still answered in large blocks.
func ScoreStreamMax(r io.Reader, w io.Writer, plan Plan, mode Mode, maxRowBytes int) (StreamStats, error) {
	if maxRowBytes <= 0 {
		maxRowBytes = MaxRowBytes
	}
	var st StreamStats
	bw := bufio.NewWriterSize(w, 64<<10)
	in := rowReader{br: bufio.NewReaderSize(r, min(64<<10, maxRowBytes+2)), max: maxRowBytes, flush: bw.Flush}
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for line := 1; ; line++ {
		row, long, size, err := in.next()
		if err != nil && err != io.EOF {
			return st, fmt.Errorf("read row %d: %w", line, err)
		}
		if size == 0 && err == io.EOF {
			break
		}
		if long || len(trimASCIISpace(row)) > 0 {
			out := scoreRow(row, long, size, line, maxRowBytes, plan, mode, &st)
			if err := enc.Encode(out); err != nil {
				return st, fmt.Errorf("write row %d: %w", line, err)
			}
		}
		if err == io.EOF {
			break
		}
	}
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("write rows: %w", err)
	}
	return st, nil
}

// scoreRow answers one row: a MusegScore, or an ErrorRow. A long row was over maxRowBytes
// and row is then only its beginning, read for its id.
func scoreRow(row []byte, long bool, size int64, line, maxRowBytes int, plan Plan, mode Mode, st *StreamStats) any {
	if long {
		st.Failed++
		return ErrorRow{ID: idOf(row), Line: line, Error: fmt.Sprintf("row of %d bytes is over the limit of %d bytes (--max-line-bytes)", size, maxRowBytes)}
	}
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
		id := in.ID
		if id == "" {
			id = idOf(row)
		}
		return ErrorRow{ID: id, Line: line, Error: err.Error()}
	}
	st.Scored++
	return score
}

// rowReader reads rows of at most max bytes from br, flushing the output before any read
// that could block.
type rowReader struct {
	br    *bufio.Reader
	max   int
	flush func() error
	buf   []byte
}

// next returns the next row without its "\n" or "\r\n", and its size. A row longer than
// max is read to its newline without being held: long is set and row is only its
// beginning. The error is io.EOF at the end of the input, with the last, unterminated row
// if there is one.
func (r *rowReader) next() (row []byte, long bool, size int64, err error) {
	if cap(r.buf) > 1<<20 {
		r.buf = nil // a long row's buffer is not kept
	}
	r.buf = r.buf[:0]
	for {
		if err := r.flushIfDry(); err != nil {
			return nil, false, size, err
		}
		chunk, err := r.br.ReadSlice('\n')
		size += int64(len(chunk))
		if !long && len(r.buf)+len(chunk) <= r.max+2 { // room for max bytes and "\r\n"
			r.buf = append(r.buf, chunk...)
		} else {
			long = true
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			return nil, false, size, err
		}
		if bytes.HasSuffix(chunk, []byte("\n")) {
			size--
		}
		if long {
			return r.buf, true, size, err
		}
		row = bytes.TrimSuffix(bytes.TrimSuffix(r.buf, []byte("\n")), []byte("\r"))
		return row, len(row) > r.max, int64(len(row)), err
	}
}

// flushIfDry flushes the answers written so far when no complete row is buffered: the next
// read may block until the caller writes more, and the caller may be waiting for them.
func (r *rowReader) flushIfDry() error {
	waiting, _ := r.br.Peek(r.br.Buffered())
	if bytes.IndexByte(waiting, '\n') >= 0 {
		return nil
	}
	if err := r.flush(); err != nil {
		return fmt.Errorf("write rows: %w", err)
	}
	return nil
}

// idOf reads the "id" of a row that does not decode, or of the beginning of a row that is
// too long, when the id comes before the fault: {"id": "x", "completion": ... broken.
func idOf(row []byte) string {
	dec := json.NewDecoder(bytes.NewReader(row))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return ""
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return ""
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return ""
		}
		if key == "id" {
			return decodeID(value)
		}
	}
	return ""
}

func finiteScore(s MusegScore) bool {
	for _, v := range []float64{s.Format, s.GlobalMatching, s.LocalMatching, s.Total} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
