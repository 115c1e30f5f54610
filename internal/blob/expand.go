package blob

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
)

// ErrNoMatch means an input pattern named no file.
var ErrNoMatch = errors.New("no such file")

// Pattern returns the glob that the input p stands for: p itself when it holds a
// wildcard (* ? [) or names a file, else the glob of the JSONL files in the folder p
// (PREFIX/data becomes PREFIX/data/*.jsonl). A local folder is one that exists as a
// folder; on GCS, where folders are name prefixes, a path ending in "/" or one that is
// neither a .jsonl name nor an existing object is a folder. The empty path stays empty.
func Pattern(ctx context.Context, p string) string {
	if p == "" || strings.ContainsAny(p, "*?[") {
		return p
	}
	if !IsGCS(p) {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return Join(p, "*.jsonl")
		}
		return p
	}
	if strings.HasSuffix(p, "/") {
		return p + "*.jsonl"
	}
	if strings.HasSuffix(p, ".jsonl") {
		return p
	}
	if ok, err := Exists(ctx, p); err == nil && ok {
		return p
	}
	return Join(p, "*.jsonl")
}

// Expand returns the files the input p stands for, sorted: p may be a file, a folder
// (its *.jsonl files, see Pattern) or a glob, local or gs://. Temporary files (TempName)
// are skipped. When nothing is left the error wraps ErrNoMatch.
func Expand(ctx context.Context, p string) ([]string, error) {
	glob := Pattern(ctx, p)
	files, err := List(ctx, glob)
	if err != nil {
		return nil, err
	}
	var kept []string
	for _, f := range files {
		if !IsTemp(f) {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 {
		if glob != p {
			return nil, fmt.Errorf("%s (%s): %w", p, glob, ErrNoMatch)
		}
		return nil, fmt.Errorf("%s: %w", p, ErrNoMatch)
	}
	sort.Strings(kept)
	return kept, nil
}
