package transforms

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/rlcurate/rlcurate/internal/blob"
)

// Run describes one run file of an external sort (SortRuns): entries of one bundle,
// sorted by (bucket, key, value). It is what travels between the spill and the merge,
// so it stays small: the bucket index is sparse and varint-encoded.
type Run struct {
	Path  string // the run file, local or gs://, under a temporary (".tmp-") name
	Rows  int64  // entries in the file
	Bytes int64  // size of the file
	// Index holds, for every bucket with entries, in increasing bucket order, the gap to
	// the previous such bucket (uvarint; the first is counted from -1) and the bucket's
	// length in bytes (uvarint). Buckets without entries take no room.
	Index []byte
}

// entry is one element of an external sort: its bucket, key and value.
type entry struct {
	bucket int
	key    string
	value  []byte
}

// compareEntries orders entries by bucket, then key, then value (bytewise).
func compareEntries(a, b *entry) int {
	if c := cmp.Compare(a.bucket, b.bucket); c != 0 {
		return c
	}
	if c := cmp.Compare(a.key, b.key); c != 0 {
		return c
	}
	return bytes.Compare(a.value, b.value)
}

// A run file is a sequence of records, uvarint(bucket) uvarint(len(key)) key
// uvarint(len(value)) value, with no header: a bucket's records are one contiguous byte
// range, which the merge reads with blob.OpenRange.

// appendRecord appends e's record to buf.
func appendRecord(buf []byte, e *entry) []byte {
	buf = binary.AppendUvarint(buf, uint64(e.bucket))
	buf = binary.AppendUvarint(buf, uint64(len(e.key)))
	buf = append(buf, e.key...)
	buf = binary.AppendUvarint(buf, uint64(len(e.value)))
	return append(buf, e.value...)
}

// writeRun writes entries, sorted, as the run file p and returns its descriptor.
func writeRun(ctx context.Context, p string, entries []entry) (Run, error) {
	w, err := blob.Create(ctx, p)
	if err != nil {
		return Run{}, err
	}
	run, err := encodeRun(w, entries)
	if err != nil {
		w.Close()
		blob.Remove(ctx, p)
		return Run{}, fmt.Errorf("write sort run %s: %w", p, err)
	}
	if err := w.Close(); err != nil {
		blob.Remove(ctx, p)
		return Run{}, fmt.Errorf("write sort run %s: %w", p, err)
	}
	run.Path = p
	return run, nil
}

// encodeRun writes the records of entries (sorted by compareEntries) to w and returns
// the run's rows, bytes and index.
func encodeRun(w io.Writer, entries []entry) (Run, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	var run Run
	var rec []byte
	prev, start := -1, int64(0)
	closeBucket := func() {
		if prev >= 0 {
			run.Index = binary.AppendUvarint(run.Index, uint64(run.Bytes-start))
		}
	}
	for i := range entries {
		e := &entries[i]
		if e.bucket != prev {
			closeBucket()
			run.Index = binary.AppendUvarint(run.Index, uint64(e.bucket-prev))
			prev, start = e.bucket, run.Bytes
		}
		rec = appendRecord(rec[:0], e)
		if _, err := bw.Write(rec); err != nil {
			return Run{}, err
		}
		run.Rows++
		run.Bytes += int64(len(rec))
	}
	closeBucket()
	return run, bw.Flush()
}

// runReader reads the records of one byte range of a run file.
type runReader struct {
	r    *bufio.Reader
	left int64 // bytes of the range not yet read
	path string
	key  []byte // scratch for keys
}

// errCorruptRun is wrapped by the errors of run files that do not decode.
var errCorruptRun = errors.New("corrupt sort run")

// next reads the next record into e, reusing e's value buffer. It returns io.EOF at the
// end of the range.
func (rr *runReader) next(e *entry) error {
	if rr.left == 0 {
		return io.EOF
	}
	bucket, err := rr.uvarint()
	if err != nil {
		return err
	}
	if rr.key, err = rr.field(rr.key); err != nil {
		return err
	}
	value, err := rr.field(e.value)
	if err != nil {
		return err
	}
	e.bucket, e.key, e.value = int(bucket), string(rr.key), value
	return nil
}

func (rr *runReader) uvarint() (uint64, error) {
	v, err := binary.ReadUvarint(countingByteReader{rr})
	if err != nil {
		return 0, rr.corrupt(err)
	}
	return v, nil
}

// field reads a length-prefixed field, into buf when it has room.
func (rr *runReader) field(buf []byte) ([]byte, error) {
	n, err := rr.uvarint()
	if err != nil {
		return nil, err
	}
	if n > uint64(rr.left) {
		return nil, rr.corrupt(fmt.Errorf("field of %d bytes with %d left", n, rr.left))
	}
	buf = slices.Grow(buf[:0], int(n))[:n]
	if _, err := io.ReadFull(rr.r, buf); err != nil {
		return nil, rr.corrupt(err)
	}
	rr.left -= int64(n)
	return buf, nil
}

func (rr *runReader) corrupt(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("%w %s: %v", errCorruptRun, rr.path, err)
}

// countingByteReader reads single bytes of a run range, counting them against left.
type countingByteReader struct{ rr *runReader }

func (c countingByteReader) ReadByte() (byte, error) {
	if c.rr.left <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	b, err := c.rr.r.ReadByte()
	if err == nil {
		c.rr.left--
	}
	return b, err
}
