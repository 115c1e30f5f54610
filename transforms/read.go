package transforms

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/progress"
)

func init() {
	register.DoFn3x1[context.Context, string, func(string), error](&expandFn{})
	register.Emitter1[string]()
	register.DoFn3x1[context.Context, string, func(Line), error](&readLinesFn{})
	register.Emitter1[Line]()
}

// Line is one non-blank line of an input file and where it came from.
type Line struct {
	File   string
	Number int64 // 1-based
	Text   string
}

// MaxLineBytes bounds one input line; a longer line fails the job with its location
// rather than exhausting memory.
const MaxLineBytes = 64 << 20

// ReadLines reads every non-blank line of the files glob stands for (see CheckInput). A
// glob that matches nothing fails the job; blank lines are not records
// and are skipped.
func ReadLines(s beam.Scope, glob string) beam.PCollection {
	s = s.Scope("ReadLines")
	files := beam.ParDo(s, &expandFn{}, beam.Create(s, glob))
	return beam.ParDo(s, &readLinesFn{}, beam.Reshuffle(s, files))
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

type readLinesFn struct {
	lines beam.Counter
}

func (fn *readLinesFn) Setup() { fn.lines = beam.NewCounter("rlcurate", "lines_read") }

func (fn *readLinesFn) ProcessElement(ctx context.Context, file string, emit func(Line)) error {
	r, err := blob.Open(ctx, file)
	if err != nil {
		return err
	}
	defer r.Close()
	n, err := scanLines(r, func(number int64, text string) {
		fn.lines.Inc(ctx, 1)
		progress.Add("read", 1)
		progress.Add(ProgressBytes, int64(len(text)+1))
		emit(Line{File: file, Number: number, Text: text})
	})
	if err != nil {
		return fmt.Errorf("read %s: %w", file, err)
	}
	if n == 0 {
		log.Warnf(ctx, "input %s holds no records", file)
	}
	return nil
}

// scanLines calls fn for every non-blank line of r, with its 1-based number, and returns
// how many it passed. A trailing carriage return is removed.
func scanLines(r io.Reader, fn func(number int64, text string)) (int64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLineBytes)
	var number, n int64
	for sc.Scan() {
		number++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		n++
		fn(number, text)
	}
	if err := sc.Err(); err != nil {
		return n, fmt.Errorf("after line %d: %w", number, err)
	}
	return n, nil
}
