package transforms

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/export"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/progress"
)

func init() {
	register.DoFn4x1[context.Context, int, func(*string) bool, func(layout.Shard), error](&writeParquetFn{})
}

// ParquetOutput is the usual Sink.Output of trainer-ready Parquet shards. Like every
// output other than layout.DataOutput and layout.DeadLetterOutput, its shards are listed
// in the manifest (rows, bytes, sha256) but not counted as written: the JSONL data output
// written from the same rows is the counted one.
const ParquetOutput = "parquet"

// WriteParquet writes rows (a PCollection of the job's JSON data rows, the same rows
// given to WriteJSONL) as sink.Shards Parquet files of trainer rows,
// PREFIX/<Output>/<Name>-SSSSS-of-NNNNN-<digest>.parquet, and returns a PCollection of
// layout.Shard describing them. opts.Kind selects the row type (export.WritingRow or
// export.VideoRow); opts must pass export.ParseKind, or the job fails when the first
// shard is written.
//
// Sharding, ordering and commits are WriteJSONL's: a row goes to the shard of the same
// index as in a JSONL output with the same number of shards, rows are sorted by their
// JSON text within a shard, every shard is written even when empty (a valid file with
// the schema and no rows), and each file is written to a temporary name and renamed on
// completion. A row the converter rejects fails the job (data rows were validated by
// the job, so that is a bug, not a record to dead-letter).
func WriteParquet(s beam.Scope, sink Sink, opts export.Options, rows beam.PCollection) beam.PCollection {
	s = s.Scope("WriteParquet." + sink.Output)
	if sink.Shards < 1 {
		sink.Shards = 1
	}
	return beam.ParDo(s, &writeParquetFn{Sink: sink, Options: opts}, groupByShard(s, sink.Shards, rows))
}

type writeParquetFn struct {
	Sink    Sink
	Options export.Options
}

func (fn *writeParquetFn) ProcessElement(ctx context.Context, shard int, rows func(*string) bool, emit func(layout.Shard)) error {
	lines := sortedRows(rows)
	info, err := commitShard(ctx, fn.Sink, shard, "parquet", func(w io.Writer) (int64, error) {
		return export.EncodeParquet(w, lines, fn.Options)
	})
	if err != nil {
		return err
	}
	progress.Add("write."+fn.Sink.Output, info.Rows)
	emit(info)
	return nil
}

// Output formats of a job's data, the --output-format flag.
const (
	FormatJSONL = "jsonl" // JSONL shards only
	FormatBoth  = "both"  // JSONL shards and trainer-ready Parquet shards of the same rows
)

// CheckFormat accepts FormatJSONL and FormatBoth. Parquet alone is refused: the JSONL
// data shards are what the manifest counts and the report reads.
func CheckFormat(format string) error {
	switch format {
	case FormatJSONL, FormatBoth:
		return nil
	case "parquet":
		return fmt.Errorf("--output-format parquet: JSONL shards are always written (the manifest counts them and the report reads them); use --output-format both")
	}
	return fmt.Errorf("--output-format %q: want jsonl or both", format)
}

// WriteData writes a job's data rows as the counted JSONL output under sink and, when
// format is FormatBoth, as trainer rows in Parquet shards of the same name under
// PREFIX/parquet/. It returns the shards of both.
func WriteData(s beam.Scope, sink Sink, format string, trainerOpts export.Options, rows beam.PCollection) []beam.PCollection {
	shards := []beam.PCollection{WriteJSONL(s, sink, rows)}
	if format == FormatBoth {
		pq := sink
		pq.Output = ParquetOutput
		shards = append(shards, WriteParquet(s, pq, trainerOpts, rows))
	}
	return shards
}
