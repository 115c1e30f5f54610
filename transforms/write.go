package transforms

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
	"path"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/progress"
)

func init() {
	register.DoFn3x1[context.Context, Part, func(layout.Shard), error](&writeShardFn{})
	register.Emitter1[layout.Shard]()
}

// Sink names one sharded output of a job: PREFIX/<Output>/<Name>-SSSSS-of-NNNNN-<digest>.jsonl.
type Sink struct {
	Prefix string // the job's output prefix, local or gs://
	Output string // folder and manifest role, e.g. layout.DataOutput
	Name   string // file name stem, e.g. "samples"
	Shards int    // number of shards; 0 (or less): automatic, from the size of the output (AutoShardBytes, AutoShardRows)
}

// AutoShardBytes and AutoShardRows size the shards of a Sink with Shards 0: as many
// shards as it takes for none to hold more than about AutoShardBytes bytes or
// AutoShardRows rows, at least 1 and at most AutoShardBuckets. They are variables so
// that tests can make them small.
var (
	AutoShardBytes int64 = 256 << 20
	AutoShardRows  int64 = 1_000_000
)

// AutoShardBuckets is the number of buckets a row is hashed into (ShardOf) when the
// number of shards is automatic: shard i of N holds the buckets
// [i*AutoShardBuckets/N, (i+1)*AutoShardBuckets/N).
const AutoShardBuckets = 4096

// WriteJSONL writes rows (a PCollection of JSON lines without newlines) as sink.Shards
// files and returns a PCollection of layout.Shard describing them.
//
// A row's shard is a hash of its bytes (ShardOf among sink.Shards, or a range of
// AutoShardBuckets when the number is automatic) and rows are sorted within a shard (by
// their text; with an automatic number of shards by bucket, then text), so a rerun on
// the same input writes byte-identical files under the same names, however the runner
// bundles the rows. The rows are sorted with bounded memory (SortRuns,
// SortParts, MergePart): each bundle writes sorted run files beside the shards, and each
// shard is a merge of its byte range of every run, so no step holds a shard, or the
// input, in memory. Every shard file is written even when empty, so a reader always
// finds all N. Each shard is written to a temporary name and renamed on completion to
// a name that carries its content digest (layout.PublishedName): a failed or retried
// write never leaves a partial file under a final name, and a rerun never replaces a
// shard the published manifest lists with other bytes. Shards become the job's output
// only when WriteManifest publishes them; the run files are removed once every shard
// is committed (RemoveRuns).
func WriteJSONL(s beam.Scope, sink Sink, rows beam.PCollection) beam.PCollection {
	return writeJSONL(s, sink, rows)
}

// writeJSONL is WriteJSONL of the rows of several collections, each spilled where it
// is produced: only run descriptors are flattened, never rows (a Flatten of
// collections from different stages passes its elements through the runner).
func writeJSONL(s beam.Scope, sink Sink, rows ...beam.PCollection) beam.PCollection {
	s = s.Scope("Write." + sink.Output)
	parts, runs := sortRows(s, sink, rows...)
	shards := beam.ParDo(s, &writeShardFn{Sink: sink}, parts)
	RemoveRuns(s, runs, shards)
	return shards
}

// sortRows sorts the rows of every collection of rows for sink: keys are the rows,
// buckets their shards (explicit sink.Shards) or AutoShardBuckets (automatic). It
// returns the parts, one per shard, and the runs, for RemoveRuns.
func sortRows(s beam.Scope, sink Sink, rows ...beam.PCollection) (parts, runs beam.PCollection) {
	cfg := Sort{Dir: blob.Join(sink.Prefix, sink.Output), Name: sink.Name,
		Buckets: AutoShardBuckets, PartBytes: AutoShardBytes, PartRows: AutoShardRows}
	if sink.Shards > 0 {
		cfg.Buckets, cfg.Parts = sink.Shards, sink.Shards
	}
	return SortEntries(s, cfg, rows...)
}

// ShardOf returns the shard of row among n: an FNV-1a hash of its bytes, modulo n.
func ShardOf(row string, n int) int {
	h := fnv.New64a()
	io.WriteString(h, row)
	return int(h.Sum64() % uint64(n))
}

// writeShardFn writes one part of the sorted rows as shard Index of Of.
type writeShardFn struct {
	Sink Sink
}

func (fn *writeShardFn) ProcessElement(ctx context.Context, part Part, emit func(layout.Shard)) error {
	sink := fn.Sink
	sink.Shards = part.Of
	info, err := writeLines(ctx, sink, part.Index, func(line func(string) error) error {
		return MergePart(ctx, part, func(row string, _ []byte) error { return line(row) })
	})
	if err != nil {
		return err
	}
	progress.Add("write."+fn.Sink.Output, info.Rows)
	emit(info)
	return nil
}

// testHookWriteLine, when set, runs before each line is written; tests use it to fail a
// write midway.
var testHookWriteLine func(i int) error

// writeLines writes the lines that each passes to line, each followed by a newline, as
// shard i of sink (commitShard).
func writeLines(ctx context.Context, sink Sink, shard int, each func(line func(string) error) error) (layout.Shard, error) {
	return commitShard(ctx, sink, shard, "jsonl", func(w io.Writer) (int64, error) {
		var n int64
		err := each(func(line string) error {
			if testHookWriteLine != nil {
				if err := testHookWriteLine(int(n)); err != nil {
					return err
				}
			}
			if _, err := io.WriteString(w, line); err != nil {
				return err
			}
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
			n++
			return nil
		})
		return n, err
	})
}

// commitShard writes shard i of sink through write (which returns the number of rows it
// wrote) to a temporary name in the sink's folder, counting and hashing the bytes, and
// renames it to its published name, which carries the digest (layout.PublishedName).
// Different bytes thus never replace a shard an earlier manifest lists, and the same
// bytes land under the same name. On any error the temporary file is removed. The
// returned Shard is complete: Output, Path (relative to the prefix), Rows, Bytes, SHA256.
func commitShard(ctx context.Context, sink Sink, i int, ext string, write func(w io.Writer) (rows int64, err error)) (layout.Shard, error) {
	dir := blob.Join(sink.Prefix, sink.Output)
	stem := layout.ShardName(sink.Name, i, sink.Shards, ext)
	tmp := blob.TempName(blob.Join(dir, stem))
	w, err := blob.Create(ctx, tmp)
	if err != nil {
		return layout.Shard{}, err
	}
	h := sha256.New()
	counted := &countingWriter{w: io.MultiWriter(w, h)}
	buffered := bufio.NewWriterSize(counted, 1<<16)
	rows, err := write(buffered)
	if err == nil {
		err = buffered.Flush()
	}
	if err != nil {
		w.Close()
		blob.Remove(ctx, tmp)
		return layout.Shard{}, fmt.Errorf("write %s: %w", blob.Join(dir, stem), err)
	}
	if err := w.Close(); err != nil {
		blob.Remove(ctx, tmp)
		return layout.Shard{}, fmt.Errorf("write %s: %w", blob.Join(dir, stem), err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	name := layout.PublishedName(sink.Name, i, sink.Shards, ext, sum)
	if err := blob.Rename(ctx, tmp, blob.Join(dir, name)); err != nil {
		blob.Remove(ctx, tmp)
		return layout.Shard{}, err
	}
	return layout.Shard{Output: sink.Output, Path: path.Join(sink.Output, name), Rows: rows, Bytes: counted.n, SHA256: sum}, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
