package transforms

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
)

// How ReadLines splits a large file (see ReadLines for the whole design):
//
//  1. splitFn turns each file into byteRanges of RangeBytes bytes: [Start, End) for
//     Index 0..Ranges-1. A line belongs to the range in which it starts.
//  2. countNewlinesFn counts the '\n' bytes of every range of a file with more than one
//     range (one ranged read each, in parallel); a one-range file is not touched. The
//     counts are a small multimap side input: file -> (range index, newlines).
//  3. numberRangeFn sets each range's Before: the newlines before Start (the counts of
//     ranges 0..r-1). The numbered ranges are reshuffled (small records), so that the
//     long-running read below is not fused with a side input: prism's scheduler spins,
//     re-checking the stage, for as long as a bundle of a stage with a side input runs
//     (measured: 30% of video score's CPU on 1M rows).
//  4. readRangeFn reads a range: a one-range file whole, as before; range r of a larger
//     file from its first line start (Start if Start is 0 or byte Start-1 is '\n', else
//     just after the first '\n' at or after Start) while lines start before End; the
//     last line is read to its end, past End if need be. Its first line's number is 1 +
//     Before + 1 if a partial line was skipped, so that every line keeps its exact
//     1-based number in the whole file.

func init() {
	register.DoFn3x1[context.Context, string, func(byteRange), error](&splitFn{})
	register.Emitter1[byteRange]()
	register.DoFn3x1[context.Context, byteRange, func(string, rangeCount), error](&countNewlinesFn{})
	register.Emitter2[string, rangeCount]()
	register.Function3x1[byteRange, func(string) func(*rangeCount) bool, func(byteRange), error](numberRange)
	register.Iter1[rangeCount]()
	register.DoFn4x1[context.Context, byteRange, func(Line), func(layout.DeadLetter), error](&readRangeFn{})
}

// rangeBytes is the size of the byte ranges ReadLines reads in parallel; tests set it to
// a few bytes.
var rangeBytes int64 = 64 << 20

// byteRange is one piece of an input file: the bytes [Start, End) of File, range Index
// of Ranges, Size the file's size when it was split. Ranges is 1 for a file read whole
// (small, or unreadable when listed). Before is the number of '\n' bytes before Start,
// set by numberRange.
type byteRange struct {
	File       string
	Index      int
	Ranges     int
	Start, End int64
	Size       int64
	Before     int64
}

// rangeCount is the number of '\n' bytes in range Index of a file.
type rangeCount struct {
	Index    int
	Newlines int64
}

// ranges splits a file of size bytes into ranges of at most per bytes; an empty file is
// one empty range.
func ranges(file string, size, per int64) []byteRange {
	if per <= 0 {
		per = 64 << 20
	}
	n := int((size + per - 1) / per)
	if n < 1 {
		n = 1
	}
	out := make([]byteRange, n)
	for i := range out {
		start := int64(i) * per
		out[i] = byteRange{File: file, Index: i, Ranges: n, Start: start, End: min(start+per, size), Size: size}
	}
	return out
}

// splitFn emits the ranges of a file. A file that cannot be stat'ed or opened (missing,
// forbidden) becomes one whole-file range, whose reader turns it into a dead letter.
type splitFn struct {
	RangeBytes int64
}

func (fn *splitFn) ProcessElement(ctx context.Context, file string, emit func(byteRange)) error {
	whole := byteRange{File: file, Ranges: 1}
	size, err := blob.Size(ctx, file)
	if err != nil {
		if !unreadable(err) {
			return err
		}
		emit(whole)
		return nil
	}
	rs := ranges(file, size, fn.RangeBytes)
	if len(rs) > 1 {
		// A large file is probed once here, so that a file listed but unreadable is one
		// dead letter and not one failure per range.
		r, err := blob.OpenRange(ctx, file, 0, 1)
		if err != nil {
			if !unreadable(err) {
				return err
			}
			emit(whole)
			return nil
		}
		r.Close()
	}
	for _, r := range rs {
		emit(r)
	}
	return nil
}

// countNewlinesFn emits, for every range of a file of more than one range, the number of
// '\n' bytes in it keyed by the file. A range shorter than it was when split (the file
// changed during the job) fails the job: its lines could not be numbered.
type countNewlinesFn struct{}

func (*countNewlinesFn) ProcessElement(ctx context.Context, r byteRange, emit func(string, rangeCount)) error {
	if r.Ranges <= 1 {
		return nil
	}
	rd, err := blob.OpenRange(ctx, r.File, r.Start, r.End-r.Start)
	if err != nil {
		return fmt.Errorf("count lines of %s bytes %d-%d: %w", r.File, r.Start, r.End, err)
	}
	defer rd.Close()
	n, size, err := countNewlines(rd)
	if err != nil {
		return fmt.Errorf("count lines of %s bytes %d-%d: %w", r.File, r.Start, r.End, err)
	}
	if size != r.End-r.Start {
		return fmt.Errorf("count lines of %s bytes %d-%d: read %d bytes: the file changed during the job", r.File, r.Start, r.End, size)
	}
	emit(r.File, rangeCount{Index: r.Index, Newlines: n})
	return nil
}

// countNewlines returns the number of '\n' bytes in r and its size.
func countNewlines(r io.Reader) (newlines, size int64, err error) {
	buf := make([]byte, 256<<10)
	for {
		k, err := r.Read(buf)
		newlines += int64(bytes.Count(buf[:k], []byte{'\n'}))
		size += int64(k)
		if err == io.EOF {
			return newlines, size, nil
		}
		if err != nil {
			return newlines, size, err
		}
	}
}

// newlinesBefore sums the newlines of the ranges before range index of a file; every one
// of them must have been counted.
func newlinesBefore(counts func(*rangeCount) bool, index int) (int64, error) {
	seen := make([]bool, index)
	var sum int64
	var c rangeCount
	for counts(&c) {
		if c.Index < index && !seen[c.Index] {
			seen[c.Index] = true
			sum += c.Newlines
		}
	}
	for i, ok := range seen {
		if !ok {
			return 0, fmt.Errorf("range %d was not counted", i)
		}
	}
	return sum, nil
}

// numberRange sets r.Before from the newline counts of its file's ranges (a one-range
// file needs none).
func numberRange(r byteRange, counts func(string) func(*rangeCount) bool, emit func(byteRange)) error {
	if r.Ranges > 1 {
		before, err := newlinesBefore(counts(r.File), r.Index)
		if err != nil {
			return fmt.Errorf("read %s bytes %d-%d: %w", r.File, r.Start, r.End, err)
		}
		r.Before = before
	}
	emit(r)
	return nil
}

// readRangeFn reads the lines that start in one byteRange (see readLines for what
// becomes a Line and what a dead letter).
type readRangeFn struct {
	MaxLineBytes int // 0: MaxLineBytes
	lines        beam.Counter
	ranges       beam.Counter
}

func (fn *readRangeFn) Setup() {
	fn.lines = beam.NewCounter("rlcurate", "lines_read")
	fn.ranges = beam.NewCounter("rlcurate", CounterRanges)
}

// CounterRanges counts the byte ranges ReadLines read: one per small file, one per 64
// MiB of a larger one.
const CounterRanges = "input_ranges_read"

func (fn *readRangeFn) ProcessElement(ctx context.Context, r byteRange, emit func(Line), dead func(layout.DeadLetter)) error {
	fn.ranges.Inc(ctx, 1)
	rd := lineReader{File: r.File, MaxLineBytes: fn.MaxLineBytes, Counter: fn.lines, Emit: emit, Dead: dead}
	if r.Ranges <= 1 {
		return rd.whole(ctx)
	}
	if err := rd.rangeLines(ctx, r, r.Before); err != nil {
		return fmt.Errorf("read %s bytes %d-%d: %w", r.File, r.Start, r.End, err)
	}
	return nil
}

// openRange opens r at its first line start and returns that line's number, given the
// newlines before r.Start; ok is false when no line starts in r.
func openRange(ctx context.Context, r byteRange, before int64, bufSize int) (br *bufio.Reader, c io.Closer, pos, number int64, ok bool, err error) {
	from := max(r.Start-1, 0)
	rd, err := blob.OpenRange(ctx, r.File, from, -1)
	if err != nil {
		return nil, nil, 0, 0, false, err
	}
	br = bufio.NewReaderSize(rd, bufSize)
	pos, number = r.Start, 1+before
	if r.Start > 0 {
		b, err := br.ReadByte()
		if err != nil {
			rd.Close()
			return nil, nil, 0, 0, false, fmt.Errorf("byte %d: %w (the file changed during the job?)", from, err)
		}
		if b != '\n' {
			pos, ok, err = skipPartialLine(br, pos, r.End)
			if err != nil || !ok {
				rd.Close()
				return nil, nil, 0, 0, false, err
			}
			number++
		}
	}
	return br, rd, pos, number, true, nil
}

// skipPartialLine reads br, at offset pos of its file, past the next '\n' and returns
// the offset after it; ok is false when no line starts before end (the '\n' is at end-1
// or later, or the file ends first). It holds no more than br's buffer.
func skipPartialLine(br *bufio.Reader, pos, end int64) (int64, bool, error) {
	for {
		chunk, err := br.ReadSlice('\n')
		pos += int64(len(chunk))
		if bytes.HasSuffix(chunk, []byte("\n")) {
			return pos, pos < end, nil
		}
		if pos >= end || err == io.EOF {
			return pos, false, nil
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return pos, false, err
		}
	}
}
