package annotations

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
)

// Read parses a whole annotation file of format f and yields, in input order,
// each sample with a nil error or a per-record error (*ParseError, or
// *Filtered for blank lines and non-grounding tasks) with an empty Sample;
// the caller decides what to count, keep or dead-letter. A fatal error (I/O,
// a broken JSON list) is yielded last. An input with no record at all yields
// an error wrapping ErrEmptyInput. E.T. Instruct input is streamed with
// ETDecoder; line formats are read line by line without a length limit.
func Read(r io.Reader, file string, f Format, opts Options) iter.Seq2[Sample, error] {
	return func(yield func(Sample, error) bool) {
		switch f {
		case FormatETInstruct:
			readET(r, file, opts, yield)
		case FormatCharades:
			readLines(r, file, opts, ParseCharadesLine, yield)
		case FormatMuseg:
			readLines(r, file, opts, ParseMusegLine, yield)
		default:
			yield(Sample{}, fmt.Errorf("read %s: unknown annotation format %q", file, f))
		}
	}
}

func readET(r io.Reader, file string, opts Options, yield func(Sample, error) bool) {
	dec := NewETDecoder(r, file)
	for {
		i, raw, err := dec.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			yield(Sample{}, err)
			return
		}
		if !yield(ParseETElement(raw, ElementAt(file, i), opts)) {
			return
		}
	}
}

type lineParser func(line string, loc Location, opts Options) (Sample, error)

func readLines(r io.Reader, file string, opts Options, parse lineParser, yield func(Sample, error) bool) {
	br := bufio.NewReader(r)
	nonBlank := 0
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if line != "" {
			if strings.TrimSpace(strings.TrimPrefix(line, "\ufeff")) != "" {
				nonBlank++
			}
			if !yield(parse(line, LineAt(file, n), opts)) {
				return
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			yield(Sample{}, fmt.Errorf("read %s line %d: %w", file, n, err))
			return
		}
	}
	if nonBlank == 0 {
		yield(Sample{}, fmt.Errorf("read %s: %w", file, ErrEmptyInput))
	}
}
