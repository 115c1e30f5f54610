package export

import (
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
)

// RowsPerRowGroup bounds a Parquet row group, so a reader can stream a shard.
const RowsPerRowGroup = 512

// EncodeParquet converts rows (JSON data rows of opts.Kind, in the order given) and
// writes them as one Snappy-compressed Parquet file to w. It returns the number of rows
// written. A row that cannot be converted is an error naming its position (0-based);
// nothing useful is left in w then. Zero rows give a valid file with the schema and no
// rows.
func EncodeParquet(w io.Writer, rows []string, opts Options) (int64, error) {
	enc, err := NewParquetEncoder(w, opts)
	if err != nil {
		return 0, err
	}
	for _, row := range rows {
		if err := enc.Add([]byte(row)); err != nil {
			return enc.rows(), err
		}
	}
	return enc.Close()
}

// ParquetEncoder writes rows given one at a time as one Parquet file, the same bytes
// EncodeParquet writes for the same rows: each row is converted as it is added and the
// rows go out a row group (RowsPerRowGroup) at a time, so memory does not grow with the
// file.
type ParquetEncoder struct{ enc rowEncoder }

type rowEncoder interface {
	add(row []byte) error
	written() int64
	close() (int64, error)
}

// NewParquetEncoder starts a Parquet file of trainer rows of opts.Kind on w. An unknown
// kind is an error.
func NewParquetEncoder(w io.Writer, opts Options) (*ParquetEncoder, error) {
	switch opts.Kind {
	case Writing:
		return &ParquetEncoder{newEncoder(w, opts, Position{}, noIndex(FromWriting))}, nil
	case Video:
		return &ParquetEncoder{newEncoder(w, opts, Position{}, noIndex(FromVideo))}, nil
	}
	_, err := ParseKind(string(opts.Kind))
	return nil, fmt.Errorf("encode parquet: %w", err)
}

// Add converts one JSON data row and adds it to the file. A row that cannot be
// converted is an error naming its position among the rows added (0-based); the file
// is of no use then.
func (e *ParquetEncoder) Add(row []byte) error { return e.enc.add(row) }

// Close writes the last rows and the footer and returns the number of rows written.
// It does not close the underlying writer.
func (e *ParquetEncoder) Close() (int64, error) { return e.enc.close() }

func (e *ParquetEncoder) rows() int64 { return e.enc.written() }

type encoder[T any] struct {
	pw      *parquet.GenericWriter[T]
	opts    Options
	pos     Position
	convert converter[T]
	batch   []T
	added   int   // rows given to add
	n       int64 // rows written to pw
}

// converter converts a data row into a trainer row; index is the row's integer index
// (Position.Index), which only some row types carry.
type converter[T any] func(row []byte, opts Options, index int64) (T, error)

// noIndex makes a converter of a conversion that carries no integer index.
func noIndex[T any](f func([]byte, Options) (T, error)) converter[T] {
	return func(row []byte, opts Options, _ int64) (T, error) { return f(row, opts) }
}

func newEncoder[T any](w io.Writer, opts Options, pos Position, convert converter[T]) *encoder[T] {
	return &encoder[T]{
		pw:      parquet.NewGenericWriter[T](w, parquet.Compression(&parquet.Snappy), parquet.MaxRowsPerRowGroup(RowsPerRowGroup)),
		opts:    opts,
		pos:     pos,
		convert: convert,
		batch:   make([]T, 0, RowsPerRowGroup),
	}
}

func (e *encoder[T]) add(row []byte) error {
	r, err := e.convert(row, e.opts, e.pos.Index(e.added))
	if err != nil {
		return fmt.Errorf("encode parquet: row %d: %w", e.added, err)
	}
	e.added++
	e.batch = append(e.batch, r)
	if len(e.batch) == cap(e.batch) {
		return e.flush()
	}
	return nil
}

func (e *encoder[T]) flush() error {
	if _, err := e.pw.Write(e.batch); err != nil {
		return fmt.Errorf("encode parquet: %w", err)
	}
	e.n += int64(len(e.batch))
	clear(e.batch)
	e.batch = e.batch[:0]
	return nil
}

func (e *encoder[T]) written() int64 { return e.n }

func (e *encoder[T]) close() (int64, error) {
	if len(e.batch) > 0 {
		if err := e.flush(); err != nil {
			return e.n, err
		}
	}
	if err := e.pw.Close(); err != nil {
		return e.n, fmt.Errorf("encode parquet: %w", err)
	}
	return e.n, nil
}
