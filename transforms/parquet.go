package transforms

import (
	"context"
	"io"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/export"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/progress"
)

func init() {
	register.DoFn3x1[context.Context, Part, func(layout.Shard), error](&writeParquetFn{})
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
// Sharding, ordering, the sort with bounded memory and commits are WriteJSONL's: a row
// goes to the shard of the same index as in a JSONL output of the same rows and
// sink.Shards (automatic included), rows are sorted by their JSON text within a shard
// and converted as they come out of the merge, every shard is written even when empty
// (a valid file with the schema and no rows), and each file is written to a temporary
// name and renamed on completion. A row the converter rejects fails the job (data rows
// were validated by the job, so that is a bug, not a record to dead-letter).
func WriteParquet(s beam.Scope, sink Sink, opts export.Options, rows beam.PCollection) beam.PCollection {
	s = s.Scope("WriteParquet." + sink.Output)
	parts, runs := sortRows(s, sink, rows)
	shards := beam.ParDo(s, &writeParquetFn{Sink: sink, Options: opts}, parts)
	RemoveRuns(s, runs, shards)
	return shards
}

// writeParquetFn writes one part of the sorted rows as shard Index of Of of trainer rows
// in Format (export.Parquet when empty).
type writeParquetFn struct {
	Sink    Sink
	Options export.Options
	Format  export.Format
}

func (fn *writeParquetFn) ProcessElement(ctx context.Context, part Part, emit func(layout.Shard)) error {
	sink := fn.Sink
	sink.Shards = part.Of
	f := fn.Format
	if f == "" {
		f = export.Parquet
	}
	info, err := commitShard(ctx, sink, part.Index, f.Ext(), func(w io.Writer) (int64, error) {
		enc, err := export.NewEncoder(w, f, fn.Options, export.Position{Shard: part.Index, Shards: part.Of})
		if err != nil {
			return 0, err
		}
		if err := MergePart(ctx, part, func(row string, _ []byte) error { return enc.Add([]byte(row)) }); err != nil {
			return 0, err
		}
		return enc.Close()
	})
	if err != nil {
		return err
	}
	progress.Add("write."+fn.Sink.Output, info.Rows)
	emit(info)
	return nil
}

// WriteData writes a job's data rows as the counted JSONL output under sink and, for
// each trainer format of formats (export.ParseFormats; export.JSONL is the JSONL output
// itself), as trainer rows in shards of the same name under PREFIX/<format>/ (listed in
// the manifest, not counted). It returns the shards of all. The rows are sorted once:
// every output's shard of an index is written from the same merge order.
func WriteData(s beam.Scope, sink Sink, formats []export.Format, trainerOpts export.Options, rows beam.PCollection) []beam.PCollection {
	if len(formats) <= 1 {
		return []beam.PCollection{WriteJSONL(s, sink, rows)}
	}
	s = s.Scope("WriteData." + sink.Output)
	parts, runs := sortRows(s, sink, rows)
	shards := []beam.PCollection{beam.ParDo(s.Scope("Write."+sink.Output), &writeShardFn{Sink: sink}, parts)}
	for _, f := range formats {
		if f == export.JSONL {
			continue
		}
		out := sink
		out.Output = string(f)
		shards = append(shards, beam.ParDo(s.Scope("WriteTrainer."+out.Output), &writeParquetFn{Sink: out, Options: trainerOpts, Format: f}, parts))
	}
	RemoveRuns(s, runs, shards...)
	return shards
}
