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
	switch opts.Kind {
	case Writing:
		return encode(w, rows, opts, FromWriting)
	case Video:
		return encode(w, rows, opts, FromVideo)
	}
	_, err := ParseKind(string(opts.Kind))
	return 0, fmt.Errorf("encode parquet: %w", err)
}

func encode[T any](w io.Writer, rows []string, opts Options, convert func([]byte, Options) (T, error)) (int64, error) {
	pw := parquet.NewGenericWriter[T](w, parquet.Compression(&parquet.Snappy), parquet.MaxRowsPerRowGroup(RowsPerRowGroup))
	batch := make([]T, 0, min(len(rows), RowsPerRowGroup))
	var n int64
	flush := func() error {
		if _, err := pw.Write(batch); err != nil {
			return fmt.Errorf("encode parquet: %w", err)
		}
		n += int64(len(batch))
		batch = batch[:0]
		return nil
	}
	for i, row := range rows {
		r, err := convert([]byte(row), opts)
		if err != nil {
			return n, fmt.Errorf("encode parquet: row %d: %w", i, err)
		}
		batch = append(batch, r)
		if len(batch) == cap(batch) {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if len(batch) > 0 {
		if err := flush(); err != nil {
			return n, err
		}
	}
	if err := pw.Close(); err != nil {
		return n, fmt.Errorf("encode parquet: %w", err)
	}
	return n, nil
}
