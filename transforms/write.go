package transforms

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
	"path"
	"sort"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/progress"
)

func init() {
	register.DoFn2x0[string, func(int, string)](&shardKeyFn{})
	register.Emitter2[int, string]()
	register.DoFn2x0[int, func(int, string)](&emptyShardFn{})
	register.DoFn4x1[context.Context, int, func(*string) bool, func(layout.Shard), error](&writeShardFn{})
	register.Iter1[string]()
	register.Emitter1[layout.Shard]()
}

// Sink names one sharded output of a job: PREFIX/<Output>/<Name>-SSSSS-of-NNNNN-<digest>.jsonl.
type Sink struct {
	Prefix string // the job's output prefix, local or gs://
	Output string // folder and manifest role, e.g. layout.DataOutput
	Name   string // file name stem, e.g. "samples"
	Shards int    // number of shards, at least 1
}

// WriteJSONL writes rows (a PCollection of JSON lines without newlines) as Shards files
// and returns a PCollection of layout.Shard describing them.
//
// A row's shard is a hash of its bytes and rows are sorted within a shard, so a rerun on
// the same input writes byte-identical files under the same names. Every shard file is
// written even when empty, so a reader always finds all N. Each shard is written to a
// temporary name and renamed on completion to a name that carries its content digest
// (layout.PublishedName): a failed or retried write never leaves a partial file under a
// final name, and a rerun never replaces a shard the published manifest lists with other
// bytes. Shards become the job's output only when WriteManifest publishes them.
func WriteJSONL(s beam.Scope, sink Sink, rows beam.PCollection) beam.PCollection {
	s = s.Scope("Write." + sink.Output)
	if sink.Shards < 1 {
		sink.Shards = 1
	}
	return beam.ParDo(s, &writeShardFn{Sink: sink}, groupByShard(s, sink.Shards, rows))
}

// groupByShard groups rows by shard (ShardOf), with one empty row added to every shard
// index so that all shards are written even when no row hashes to one.
func groupByShard(s beam.Scope, shards int, rows beam.PCollection) beam.PCollection {
	keyed := beam.ParDo(s, &shardKeyFn{Shards: shards}, rows)
	indexes := make([]int, shards)
	for i := range indexes {
		indexes[i] = i
	}
	all := beam.Flatten(s, keyed, beam.ParDo(s, &emptyShardFn{}, beam.CreateList(s, indexes)))
	return beam.GroupByKey(s, all)
}

type shardKeyFn struct{ Shards int }

func (fn *shardKeyFn) ProcessElement(row string, emit func(int, string)) {
	emit(ShardOf(row, fn.Shards), row)
}

// ShardOf returns the shard of row among n: an FNV-1a hash of its bytes, modulo n.
func ShardOf(row string, n int) int {
	h := fnv.New64a()
	io.WriteString(h, row)
	return int(h.Sum64() % uint64(n))
}

// emptyShardFn emits an empty row for a shard index, so that every shard is written even
// when no row hashes to it. Writers skip empty rows; JSON rows are never empty.
type emptyShardFn struct{}

func (*emptyShardFn) ProcessElement(i int, emit func(int, string)) { emit(i, "") }

type writeShardFn struct {
	Sink Sink
}

func (fn *writeShardFn) ProcessElement(ctx context.Context, shard int, rows func(*string) bool, emit func(layout.Shard)) error {
	info, err := writeLines(ctx, fn.Sink, shard, sortedRows(rows))
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

// writeLines writes lines, each followed by a newline, as shard i of sink (commitShard).
func writeLines(ctx context.Context, sink Sink, shard int, lines []string) (layout.Shard, error) {
	return commitShard(ctx, sink, shard, "jsonl", func(w io.Writer) (int64, error) {
		for i, line := range lines {
			if testHookWriteLine != nil {
				if err := testHookWriteLine(i); err != nil {
					return 0, err
				}
			}
			if _, err := io.WriteString(w, line+"\n"); err != nil {
				return 0, err
			}
		}
		return int64(len(lines)), nil
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
	rows, err := write(counted)
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

// sortedRows collects a shard's rows, without the empty markers of emptyShardFn, sorted so
// that a rerun writes the same bytes.
func sortedRows(rows func(*string) bool) []string {
	var lines []string
	var row string
	for rows(&row) {
		if row != "" {
			lines = append(lines, row)
		}
	}
	sort.Strings(lines)
	return lines
}
