package export

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// Position is where a shard lies among the shards of one output: shard Shard of Shards.
// It gives rows their integer indices (MusegRow.Idx, WritingRLRow): row r (0-based) of
// shard i of n has index r*n + i, so indices are unique across the shards without a
// count of the rows before, and below n times the rows of the largest shard (with one
// shard: 0 to rows-1).
type Position struct{ Shard, Shards int }

// Index is the integer index of the shard's row r (0-based). A zero Position (one shard)
// gives r.
func (p Position) Index(r int) int64 {
	return int64(r)*int64(max(p.Shards, 1)) + int64(p.Shard)
}

// Encoder writes trainer rows given one JSON data row at a time as one shard file.
type Encoder interface {
	// Add converts one JSON data row and writes it. An error names the row's position
	// (0-based); the shard is of no use then.
	Add(row []byte) error
	// Close finishes the shard (it does not close the underlying writer) and returns the
	// number of rows written.
	Close() (int64, error)
}

// NewEncoder starts a shard of format f (not JSONL, which is the job's own rows) of
// rows of opts.Kind at position pos on w. A format the kind does not write is an error.
func NewEncoder(w io.Writer, f Format, opts Options, pos Position) (Encoder, error) {
	if err := f.check(opts.Kind); err != nil {
		return nil, fmt.Errorf("encode %s: %w", f, err)
	}
	switch f {
	case Parquet:
		return NewParquetEncoder(w, opts)
	case Museg:
		return &lineEncoder[MusegRow]{w: bufio.NewWriter(w), opts: opts, pos: pos, convert: FromMuseg}, nil
	case WritingRL:
		return &ParquetEncoder{newEncoder(w, opts, pos, FromWritingRL)}, nil
	}
	return nil, fmt.Errorf("encode %s: not a trainer format", f)
}

// lineEncoder writes trainer rows as JSON lines.
type lineEncoder[T any] struct {
	w       *bufio.Writer
	opts    Options
	pos     Position
	convert converter[T]
	n       int64
}

func (e *lineEncoder[T]) Add(row []byte) error {
	r, err := e.convert(row, e.opts, e.pos.Index(int(e.n)))
	if err != nil {
		return fmt.Errorf("encode: row %d: %w", e.n, err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode: row %d: %w", e.n, err)
	}
	if _, err := e.w.Write(append(b, '\n')); err != nil {
		return err
	}
	e.n++
	return nil
}

func (e *lineEncoder[T]) Close() (int64, error) { return e.n, e.w.Flush() }
