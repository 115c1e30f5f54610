package video

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rlcurate/rlcurate/internal/annotations"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/export"
	"github.com/rlcurate/rlcurate/transforms"
	"golang.org/x/sync/errgroup"
)

// PreflightRecords is how many annotation records Preflight reads; preflightMaxLine
// bounds one line it reads (a longer one is skipped, the job reports it).
const (
	PreflightRecords = 1000
	preflightMaxLine = 16 << 20
)

// preflightGCSVideos bounds the gs:// videos Preflight looks up (in parallel), so that
// a wrong gs:// --videos fails in seconds, not after a thousand round trips.
const preflightGCSVideos = 32

// Preflight checks, before any job starts, what would otherwise make the job run to the
// end and write nothing: that the first PreflightRecords records of the annotations
// parse as o.Format (at least one of them does), and that o.Videos exists and holds at
// least one of the videos those records name (under the same confinement as the job:
// a video outside --videos does not count unless o.AllowOutsideVideos), and that
// o.OutputFormat lists formats a video build writes. It opens no video. Each error is
// one line that names the flag at fault.
func Preflight(ctx context.Context, o BuildOptions) error {
	if _, err := export.ParseFormats(o.OutputFormat, export.Video); err != nil {
		return err
	}
	files, err := transforms.CheckInput(ctx, o.Annotations)
	if err != nil {
		return fmt.Errorf("--annotations: %w", err)
	}
	opts := annotations.Options{CharadesExt: o.CharadesExt, Seed: o.Seed}
	videos, err := firstVideos(ctx, files, o.Format, opts, PreflightRecords)
	if err != nil {
		return err
	}
	return checkVideos(ctx, o.Videos, videos, !o.AllowOutsideVideos)
}

// formatName is the --format value of f.
func formatName(f annotations.Format) string {
	switch f {
	case annotations.FormatMuseg:
		return "museg"
	case annotations.FormatCharades:
		return "charades"
	case annotations.FormatETInstruct:
		return "etinstruct"
	}
	return string(f)
}

// firstVideos parses the first n records of files (in order) with format's parser and
// returns the distinct video paths they name, in order. It fails when records were read
// and none parses (a wrong --format), not when some do not (the job dead-letters those).
func firstVideos(ctx context.Context, files []string, format annotations.Format, opts annotations.Options, n int) ([]string, error) {
	var videos []string
	seen := map[string]bool{}
	read, parsed := 0, 0
	var firstErr error
	for _, f := range files {
		if read >= n {
			break
		}
		err := firstRecords(ctx, f, format, n-read, func(l transforms.Line, broken error) {
			read++
			s, err := parseRecord(format, l, opts)
			if broken != nil {
				err = broken
			}
			if _, ok := annotations.IsFiltered(err); ok {
				return
			}
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			parsed++
			if !seen[s.Video] {
				seen[s.Video] = true
				videos = append(videos, s.Video)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	if parsed == 0 && firstErr != nil {
		return nil, fmt.Errorf("--format %s: none of the first %d records of the annotations parses as %s (%s)",
			formatName(format), read, formatName(format), oneLine(firstErr.Error(), 200))
	}
	return videos, nil
}

// firstRecords calls fn with each of the first n records of file: the non-blank lines
// of a line format, the elements of an E.T. Instruct list (Number is the 1-based
// element number). A list that breaks off ends the file's records there, with a last
// call that carries the decoder's error as broken.
func firstRecords(ctx context.Context, file string, format annotations.Format, n int, fn func(l transforms.Line, broken error)) error {
	r, err := blob.Open(ctx, file)
	if err != nil {
		return fmt.Errorf("--annotations: %w", err)
	}
	defer r.Close()
	if format == annotations.FormatETInstruct {
		d := annotations.NewETDecoder(r, file)
		for range n {
			i, raw, err := d.Next()
			if errors.Is(err, io.EOF) || errors.Is(err, annotations.ErrEmptyInput) {
				return nil
			}
			if err != nil {
				var pe *annotations.ParseError
				if errors.As(err, &pe) {
					fn(transforms.Line{File: file, Number: int64(i) + 1}, err)
					return nil
				}
				return fmt.Errorf("--annotations: read %s: %w", file, err)
			}
			fn(transforms.Line{File: file, Number: int64(i) + 1, Text: string(raw)}, nil)
		}
		return nil
	}
	return firstLines(r, n, preflightMaxLine, func(num int64, text string) {
		fn(transforms.Line{File: file, Number: num, Text: text}, nil)
	})
}

// firstLines calls fn with the number and text (without its line ending) of each of
// the first n non-blank lines of r. A line longer than maxLine is skipped without
// being held in memory.
func firstLines(r io.Reader, n int, maxLine int, fn func(num int64, text string)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var num int64
	for sent := 0; sent < n; {
		var line []byte
		tooLong := false
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			if !tooLong {
				if len(line)+len(chunk) > maxLine {
					tooLong, line = true, nil
				} else {
					line = append(line, chunk...)
				}
			}
			if !errors.Is(err, bufio.ErrBufferFull) {
				break
			}
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("--annotations: %w", err)
		}
		if len(line) == 0 && !tooLong && errors.Is(err, io.EOF) {
			return nil
		}
		num++
		text := strings.TrimRight(string(line), "\r\n")
		if !tooLong && strings.TrimSpace(text) != "" {
			fn(num, text)
			sent++
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
	return nil
}

// checkVideos checks that root exists and holds at least one of videos (resolved as the
// job resolves them). With no video named (every record filtered) only the root is
// checked.
func checkVideos(ctx context.Context, root string, videos []string, confine bool) error {
	if !blob.IsGCS(root) {
		st, err := os.Stat(root)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("--videos %s: no such folder", root)
			}
			return fmt.Errorf("--videos %s: %w", root, err)
		}
		if !st.IsDir() {
			return fmt.Errorf("--videos %s: not a folder", root)
		}
		entries, err := os.ReadDir(root)
		if err != nil {
			return fmt.Errorf("--videos %s: %w", root, err)
		}
		if len(entries) == 0 {
			return fmt.Errorf("--videos %s: the folder is empty", root)
		}
	}
	if len(videos) == 0 {
		return nil
	}
	limit := len(videos)
	if blob.IsGCS(root) {
		limit = min(limit, preflightGCSVideos)
	}
	ctx, cancel := context.WithTimeout(ctx, 4*time.Second)
	defer cancel()
	found := make([]bool, limit)
	outside := make([]bool, limit)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i, v := range videos[:limit] {
		g.Go(func() error {
			p, err := resolveVideo(root, v, confine)
			if errors.Is(err, ErrOutsideVideos) {
				outside[i] = true
				return nil
			}
			if err != nil {
				return nil // missing, or unreadable: not found
			}
			ok, err := blob.Exists(gctx, p)
			if err != nil && blob.IsGCS(p) {
				return fmt.Errorf("--videos %s: %s: %w", root, p, err)
			}
			found[i] = ok
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return fmt.Errorf("%s", oneLine(err.Error(), 300))
	}
	nOutside := 0
	for i := range found {
		if found[i] {
			return nil
		}
		if outside[i] {
			nOutside++
		}
	}
	msg := fmt.Sprintf("--videos %s holds none of the first %d videos the annotations name (e.g. %q)", root, limit, oneLine(videos[0], 120))
	if nOutside > 0 {
		msg += fmt.Sprintf("; %d of them lie outside --videos (see --allow-outside-videos)", nOutside)
	}
	return errors.New(msg)
}

// oneLine shortens s to at most max bytes on one line.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "") + "…"
	}
	return s
}
