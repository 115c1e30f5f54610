package transforms

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/progress"
	"google.golang.org/api/googleapi"
)

func init() {
	register.DoFn3x1[context.Context, string, func(string), error](&expandFn{})
	register.Emitter1[string]()
	register.Emitter1[Line]()
	register.Emitter1[layout.DeadLetter]()
}

// Line is one non-blank line of an input file and where it came from.
type Line struct {
	File   string
	Number int64 // 1-based
	Text   string
}

// MaxLineBytes is the default bound of one input line (--max-line-bytes); a longer line
// is dead-lettered with ReasonLineTooLong, read in bounded memory.
const MaxLineBytes = 64 << 20

// The dead-letter reasons of ReadLines (stage "read").
const (
	ReasonLineTooLong = "line_too_long" // the line is longer than --max-line-bytes
	ReasonInvalidUTF8 = "invalid_utf8"  // the line is not valid UTF-8
	// ReasonUnreadable starts the reason of a file that was listed but cannot be opened
	// (missing object, no permission); the error follows it.
	ReasonUnreadable = "unreadable"
)

// StageRead is the stage of the dead letters ReadLines writes.
const StageRead = "read"

// ReadLines reads every non-blank line of the files glob stands for (see CheckInput). A
// glob that matches nothing fails the job; blank lines are not records and are skipped.
// Lines over maxLineBytes bytes (0: MaxLineBytes) and lines that are not valid UTF-8 are
// not passed on: they, and files that were listed but cannot be opened, become the dead
// letters in the second collection. Both collections count as read.
//
// A file is read in byte ranges of 64 MiB, in parallel (cores on prism, workers on
// Dataflow): a line belongs to the range in which it starts, and keeps its exact 1-based
// number in the file (blank lines counted), from a first pass that counts the newlines
// of each range of the files larger than one range; a file of one range is read once,
// whole. Only range descriptors are reshuffled, never lines. A line longer than
// maxLineBytes is one dead letter, from the range where it starts. A file of several
// ranges that changes or disappears during the job fails it; a file of one range that
// holds no records is logged.
func ReadLines(s beam.Scope, glob string, maxLineBytes int) (lines, dead beam.PCollection) {
	return ReadLinesOf(s, []string{glob}, maxLineBytes)
}

// ReadLinesOf is ReadLines of several globs at once: their files are listed together and
// read as one collection, with no Flatten of lines (prism runs a Flatten as a stage of
// its own and holds its whole input).
func ReadLinesOf(s beam.Scope, globs []string, maxLineBytes int) (lines, dead beam.PCollection) {
	s = s.Scope("ReadLines")
	return readFiles(s, beam.ParDo(s, &expandFn{}, beam.CreateList(s, globs)), maxLineBytes)
}

// readFiles is ReadLines of the listed files (see ranges.go).
func readFiles(s beam.Scope, files beam.PCollection, maxLineBytes int) (lines, dead beam.PCollection) {
	rs := beam.Reshuffle(s, beam.ParDo(s, &splitFn{RangeBytes: rangeBytes}, beam.Reshuffle(s, files)))
	counts := beam.ParDo(s, &countNewlinesFn{}, rs)
	numbered := beam.Reshuffle(s, beam.ParDo(s, numberRange, rs, beam.SideInput{Input: counts}))
	return beam.ParDo2(s, &readRangeFn{MaxLineBytes: maxLineBytes}, numbered)
}

// CheckInput returns the files the input glob stands for (blob.Expand: a file, a glob,
// or a folder's *.jsonl files, local or gs://, temporary files skipped, sorted), and
// fails fast when there is none, before a pipeline is built.
func CheckInput(ctx context.Context, glob string) ([]string, error) {
	files, err := blob.Expand(ctx, glob)
	if err != nil {
		return nil, fmt.Errorf("input %w", err)
	}
	return files, nil
}

// ProgressBytes is the progress stage counting input bytes read; InputSize gives its total,
// so that the progress lines can show an ETA.
const ProgressBytes = "read.bytes"

// InputSize returns the total size in bytes of the files matching glob.
func InputSize(ctx context.Context, glob string) (int64, error) {
	files, err := CheckInput(ctx, glob)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, f := range files {
		n, err := blob.Size(ctx, f)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

type expandFn struct{}

func (*expandFn) ProcessElement(ctx context.Context, glob string, emit func(string)) error {
	files, err := CheckInput(ctx, glob)
	if err != nil {
		return err
	}
	for _, f := range files {
		emit(f)
	}
	return nil
}

// lineReader turns the lines of one file, or of one range of it, into Lines and dead
// letters: blank lines are skipped (but numbered), lines over MaxLineBytes and lines that
// are not valid UTF-8 are dead letters, every other line is emitted with its number.
type lineReader struct {
	File         string
	MaxLineBytes int // 0: MaxLineBytes
	Counter      beam.Counter
	Emit         func(Line)
	Dead         func(layout.DeadLetter)
}

// whole reads the whole file; a file that cannot be opened (missing, forbidden) is one
// dead letter, one that holds no record is logged.
func (lr lineReader) whole(ctx context.Context) error {
	r, err := blob.Open(ctx, lr.File)
	if err != nil {
		if !unreadable(err) {
			return err // transient: let the runner retry
		}
		// Listed, but gone or forbidden: the file is one dead letter, not the job's end.
		progress.Add("read", 1)
		lr.Dead(layout.DeadLetter{File: lr.File, Stage: StageRead, Reason: ReasonUnreadable + ": " + err.Error()})
		return nil
	}
	defer r.Close()
	n, err := scanLines(r, lr.MaxLineBytes, lr.line(ctx), lr.tooLong(ctx))
	if err != nil {
		return fmt.Errorf("read %s: %w", lr.File, err)
	}
	if n == 0 {
		log.Warnf(ctx, "input %s holds no records", lr.File)
	}
	return nil
}

// rangeLines reads the lines that start in r, a range of a file of several ranges with
// before newlines before r.Start (see ranges.go).
func (lr lineReader) rangeLines(ctx context.Context, r byteRange, before int64) error {
	br, c, pos, number, ok, err := openRange(ctx, r, before, bufferSize(lr.MaxLineBytes))
	if err != nil || !ok {
		return err
	}
	defer c.Close()
	_, err = scanFrom(br, number, r.End-pos, lr.MaxLineBytes, lr.line(ctx), lr.tooLong(ctx))
	return err
}

// line returns the callback of scanLines for a line that fits.
func (lr lineReader) line(ctx context.Context) func(number int64, text string) {
	return func(number int64, text string) {
		lr.count(ctx, len(text))
		if !utf8.ValidString(text) {
			lr.Dead(layout.DeadLetter{File: lr.File, Line: number, Stage: StageRead, Reason: ReasonInvalidUTF8,
				Record: strings.ToValidUTF8(text, "\uFFFD")})
			return
		}
		lr.Emit(Line{File: lr.File, Number: number, Text: text})
	}
}

// tooLong returns the callback of scanLines for a line over MaxLineBytes.
func (lr lineReader) tooLong(ctx context.Context) func(number, size int64) {
	return func(number, size int64) {
		lr.count(ctx, int(size))
		lr.Dead(layout.DeadLetter{File: lr.File, Line: number, Stage: StageRead, Reason: ReasonLineTooLong})
	}
}

// count counts one line read of size bytes (without its newline).
func (lr lineReader) count(ctx context.Context, size int) {
	lr.Counter.Inc(ctx, 1)
	progress.Add("read", 1)
	progress.Add(ProgressBytes, int64(size+1))
}

// unreadable tells a file that cannot be read at all (missing, no permission) from a
// transient failure.
func unreadable(err error) bool {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return true
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		switch ge.Code {
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
			return true
		}
	}
	return false
}

// scanLines calls fn for every non-blank line of r of at most max bytes (0: MaxLineBytes),
// with its 1-based number, and tooLong for every longer line with its number and size; it
// returns how many lines it passed to either. A trailing carriage return is removed. A
// long line is skipped to its newline without being held: memory stays near max.
func scanLines(r io.Reader, max int, fn func(number int64, text string), tooLong func(number, size int64)) (int64, error) {
	return scanFrom(bufio.NewReaderSize(r, bufferSize(max)), 1, -1, max, fn, tooLong)
}

// bufferSize is the read buffer for lines of at most max bytes (0: MaxLineBytes).
func bufferSize(max int) int {
	if max <= 0 {
		max = MaxLineBytes
	}
	return min(64<<10, max+2)
}

// scanFrom is scanLines over br, whose first line is number first, reading only the
// lines that start in the first limit bytes of br (limit < 0: all); the last of them is
// read to its end.
func scanFrom(br *bufio.Reader, first, limit int64, max int, fn func(number int64, text string), tooLong func(number, size int64)) (int64, error) {
	if max <= 0 {
		max = MaxLineBytes
	}
	var buf []byte
	var pos, n int64
	for number := first; limit < 0 || pos < limit; number++ {
		line, size, raw, err := readLine(br, &buf, max)
		if err != nil && err != io.EOF {
			return n, fmt.Errorf("after line %d: %w", number-1, err)
		}
		if raw == 0 && err == io.EOF {
			return n, nil
		}
		pos += raw
		switch {
		case size > int64(max):
			n++
			tooLong(number, size)
		case len(bytes.TrimSpace(line)) > 0:
			n++
			fn(number, string(line))
		}
		if cap(buf) > 1<<20 {
			buf = nil // a long line's buffer is not kept for the rest of the file
		}
		if err == io.EOF {
			return n, nil
		}
	}
	return n, nil
}

// readLine reads one line of br: its text without "\n" or "\r\n", its size in bytes
// (without the "\n") and raw, the bytes it took from br. The line is collected in *buf
// only while it fits in max+2 bytes (max and "\r\n"); the rest of a longer line is read
// and dropped, and text is nil. The error is io.EOF at the end of the input (text may
// then be the last, unterminated line).
func readLine(br *bufio.Reader, buf *[]byte, max int) (text []byte, size, raw int64, err error) {
	*buf = (*buf)[:0]
	over := false
	for {
		chunk, err := br.ReadSlice('\n')
		raw += int64(len(chunk))
		if !over && len(*buf)+len(chunk) <= max+2 {
			*buf = append(*buf, chunk...)
		} else {
			over = true
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			return nil, raw, raw, err
		}
		size = raw
		if bytes.HasSuffix(chunk, []byte("\n")) {
			size--
		}
		if over {
			return nil, size, raw, err
		}
		text = bytes.TrimSuffix(bytes.TrimSuffix(*buf, []byte("\n")), []byte("\r"))
		return text, int64(len(text)), raw, err
	}
}
