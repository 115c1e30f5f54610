package transforms

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
)

func init() {
	register.DoFn4x1[context.Context, FileCut, func(Line), func(layout.DeadLetter), error](&readCutFn{})
}

// FileCut is the first Bytes bytes of an input file: where --limit stops reading it.
type FileCut struct {
	File  string
	Bytes int64
}

// CutInput returns the files glob stands for cut after its first limit records (non-blank
// lines, in file order as CheckInput lists them): every file before the one holding the
// limit-th record whole, that one up to the end of that line, the rest not at all. It
// reads no more than those lines, a line at a time in bounded memory.
func CutInput(ctx context.Context, glob string, limit int64, maxLineBytes int) ([]FileCut, error) {
	files, err := CheckInput(ctx, glob)
	if err != nil {
		return nil, err
	}
	var cuts []FileCut
	for _, f := range files {
		if limit <= 0 {
			break
		}
		end, records, err := cutFile(ctx, f, limit, maxLineBytes)
		if err != nil {
			return nil, fmt.Errorf("--limit: read %s: %w", f, err)
		}
		cuts = append(cuts, FileCut{File: f, Bytes: end})
		limit -= records
	}
	return cuts, nil
}

// cutFile reads f until its limit-th record and returns the byte offset after it (the
// file's size when it holds fewer) and the records read.
func cutFile(ctx context.Context, f string, limit int64, maxLineBytes int) (end, records int64, err error) {
	r, err := blob.Open(ctx, f)
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	if maxLineBytes <= 0 {
		maxLineBytes = MaxLineBytes
	}
	br := bufio.NewReaderSize(r, bufferSize(maxLineBytes))
	var buf []byte
	for records < limit {
		line, size, raw, err := readLine(br, &buf, maxLineBytes)
		if err != nil && err != io.EOF {
			return 0, 0, err
		}
		end += raw
		if size > int64(maxLineBytes) || len(bytes.TrimSpace(line)) > 0 {
			records++
		}
		if err == io.EOF {
			break
		}
	}
	return end, records, nil
}

// ReadInput reads the job's main input glob: every line (ReadLines), or with job.Cuts
// (--limit) only the cut files, the first bytes of each.
func ReadInput(s beam.Scope, job Job, glob string) (lines, dead beam.PCollection) {
	if job.Cuts == nil || glob != job.Input {
		return ReadLines(s, glob, job.MaxLineBytes)
	}
	s = s.Scope("ReadLimited")
	return beam.ParDo2(s, &readCutFn{MaxLineBytes: job.MaxLineBytes}, beam.CreateList(s, job.Cuts))
}

// readCutFn reads the lines of one FileCut, with line numbers and dead letters exactly
// as ReadLines gives them.
type readCutFn struct {
	MaxLineBytes int
	lines        beam.Counter
}

func (fn *readCutFn) Setup() { fn.lines = beam.NewCounter("rlcurate", "lines_read") }

func (fn *readCutFn) ProcessElement(ctx context.Context, c FileCut, emit func(Line), dead func(layout.DeadLetter)) error {
	rd := lineReader{File: c.File, MaxLineBytes: fn.MaxLineBytes, Counter: fn.lines, Emit: emit, Dead: dead}
	if err := rd.rangeLines(ctx, byteRange{File: c.File, Ranges: 2, End: c.Bytes}, 0); err != nil {
		return fmt.Errorf("read %s bytes 0-%d: %w", c.File, c.Bytes, err)
	}
	return nil
}
