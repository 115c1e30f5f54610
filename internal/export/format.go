package export

import (
	"fmt"
	"slices"
	"strings"
)

// Format is one output of a job's data rows, a value of the --output-format list. Every
// format but JSONL is written under PREFIX/<format>/.
type Format string

const (
	// JSONL is the job's own data rows under PREFIX/data/: the counted output, always
	// written (the manifest counts it, the report and serve --samples read it).
	JSONL Format = "jsonl"
	// Parquet is verl rows (WritingRow, VideoRow) under PREFIX/parquet/.
	Parquet Format = "parquet"
	// Museg is MUSEG trainer rows (MusegRow, JSONL) under PREFIX/museg/; video build only.
	Museg Format = "museg"
	// WritingRL is rows of Writing-RL's verl fork (WritingRLRow, Parquet) under
	// PREFIX/writingrl/; writing select only.
	WritingRL Format = "writingrl"
)

// Ext is the file extension of the format's shards.
func (f Format) Ext() string {
	switch f {
	case Parquet, WritingRL:
		return "parquet"
	}
	return "jsonl"
}

// ParseFormats parses an --output-format value for a job of kind: a comma list of
// jsonl, parquet, museg (video) and writingrl (writing); "both" is jsonl,parquet. Spaces
// around names and repeats are ignored. The list must hold jsonl (the counted output);
// an empty, unknown or misplaced name is an error. The result starts with JSONL and
// holds each format once, in the order given.
func ParseFormats(s string, kind Kind) ([]Format, error) {
	var out []Format
	for name := range strings.SplitSeq(s, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		fs := []Format{Format(name)}
		if name == "both" {
			fs = []Format{JSONL, Parquet}
		}
		for _, f := range fs {
			if err := f.check(kind); err != nil {
				return nil, fmt.Errorf("--output-format %q: %w", s, err)
			}
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	i := slices.Index(out, JSONL)
	if i < 0 {
		return nil, fmt.Errorf("--output-format %q: jsonl is always written (the manifest counts it, the report and serve read it); add it, e.g. jsonl,%s", s, s)
	}
	return append([]Format{JSONL}, slices.Delete(out, i, i+1)...), nil
}

// check tells whether f is a format a job of kind writes.
func (f Format) check(kind Kind) error {
	switch {
	case f == JSONL || f == Parquet:
		return nil
	case f == Museg && kind == Video, f == WritingRL && kind == Writing:
		return nil
	case f == Museg:
		return fmt.Errorf("museg rows come from video build only")
	case f == WritingRL:
		return fmt.Errorf("writingrl rows come from writing select only")
	case f == "":
		return fmt.Errorf("empty format name")
	}
	want := "jsonl, parquet, museg or both"
	if kind == Writing {
		want = "jsonl, parquet, writingrl or both"
	}
	return fmt.Errorf("unknown format %q: want a comma list of %s", string(f), want)
}
