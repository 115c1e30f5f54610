package video

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/annotations"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/progress"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register.DoFn3x1[context.Context, string, func(etFile), error](&listETFn{})
	register.DoFn4x1[context.Context, etFile, func(transforms.Line), func(layout.DeadLetter), error](&readETFn{})
	register.Emitter1[etFile]()
	register.DoFn5x0[transforms.Line, func(string, pending), func(string), func(string, int64), func(layout.DeadLetter)](&parseFn{})
	register.Emitter1[string]()
	register.Emitter1[transforms.Line]()
	register.Emitter2[string, pending]()
	register.Emitter2[string, int64]()
	register.Emitter1[layout.DeadLetter]()
}

// annotationSet holds the parsed records of the annotation files.
type annotationSet struct {
	Read     []beam.PCollection // records read, one element each (for the read tally)
	Samples  beam.PCollection   // KV<video path, pending>
	Filtered beam.PCollection   // filter reasons, one per filtered record
	Tallies  beam.PCollection   // KV<string, int64>: "filtered.<reason>"
	Dead     []beam.PCollection // layout.DeadLetter
}

// readAnnotations reads and parses the annotation files matching glob. Line formats
// (Charades-STA, MUSEG JSONL) are read by transforms.ReadInput (with job.Cuts under
// --limit); an E.T. Instruct JSON list is streamed one element at a time in a DoFn per
// file (the files are reshuffled, the elements are not: the sort by video spreads the
// work), each element then travelling as a transforms.Line whose Number is the 1-based
// element number. Under --limit (job.Limit, when glob is the job's input) only the
// first job.Limit elements are read, in file order as CheckInput lists the files.
func readAnnotations(s beam.Scope, glob string, format annotations.Format, job transforms.Job, opts annotations.Options) annotationSet {
	s = s.Scope("Annotations")
	var a annotationSet
	var records beam.PCollection
	if format == annotations.FormatETInstruct {
		limit := job.Limit
		if glob != job.Input {
			limit = 0
		}
		files := beam.ParDo(s, &listETFn{Limit: limit}, beam.Create(s, glob))
		var dead beam.PCollection
		records, dead = beam.ParDo2(s, &readETFn{}, beam.Reshuffle(s, files))
		a.Read = append(a.Read, dead)
		a.Dead = append(a.Dead, dead)
	} else {
		var readDead beam.PCollection
		records, readDead = transforms.ReadInput(s, job, glob)
		a.Read = append(a.Read, readDead)
		a.Dead = append(a.Dead, readDead)
	}
	a.Read = append(a.Read, records)
	samples, filtered, tallies, parseDead := beam.ParDo4(s, &parseFn{Format: string(format), Options: opts}, records)
	a.Samples, a.Filtered, a.Tallies = samples, filtered, tallies
	a.Dead = append(a.Dead, parseDead)
	return a
}

// etFile is an E.T. Instruct file to read and how many of its records (elements, and a
// list that breaks off counting as one) to read: all when Records is 0.
type etFile struct {
	File    string
	Records int64
}

// listETFn expands a glob into its files (temporary files skipped); no match fails.
// With a Limit, it counts the records of the files in order, reading each only up to
// the limit, and lists only the files that hold the first Limit records, each with the
// number of its records to read.
type listETFn struct {
	Limit int64
}

func (fn *listETFn) ProcessElement(ctx context.Context, glob string, emit func(etFile)) error {
	files, err := transforms.CheckInput(ctx, glob)
	if err != nil {
		return err
	}
	left := fn.Limit
	for _, f := range files {
		if fn.Limit <= 0 {
			emit(etFile{File: f})
			continue
		}
		if left <= 0 {
			return nil
		}
		n, err := streamET(ctx, f, left, func(transforms.Line) {}, func(layout.DeadLetter) {})
		if err != nil {
			return fmt.Errorf("--limit: %w", err)
		}
		if n > 0 {
			emit(etFile{File: f, Records: n})
		}
		left -= n
	}
	return nil
}

// readETFn streams the records of one E.T. Instruct file (streamET).
type readETFn struct{}

func (*readETFn) ProcessElement(ctx context.Context, f etFile, emit func(transforms.Line), dead func(layout.DeadLetter)) error {
	_, err := streamET(ctx, f.File, f.Records, func(l transforms.Line) {
		progress.Add("read", 1)
		emit(l)
	}, func(d layout.DeadLetter) {
		progress.Add("read", 1)
		dead(d)
	})
	return err
}

// streamET streams one E.T. Instruct JSON list, its first limit records (all when limit is
// 0), and returns the number of records read. A list that breaks off (syntax error,
// truncation) cannot be resynchronised: the rest of the file becomes one dead letter,
// so the records before it still count and nothing is lost silently. An empty file
// holds no record and only logs a warning, as ReadLines does.
func streamET(ctx context.Context, file string, limit int64, emit func(transforms.Line), dead func(layout.DeadLetter)) (int64, error) {
	r, err := blob.Open(ctx, file)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	d := annotations.NewETDecoder(r, file)
	var n int64
	for ; limit <= 0 || n < limit; n++ {
		i, raw, err := d.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if errors.Is(err, annotations.ErrEmptyInput) {
			log.Warnf(ctx, "input %s holds no records", file)
			return n, nil
		}
		if err != nil {
			var pe *annotations.ParseError
			if !errors.As(err, &pe) {
				return n, fmt.Errorf("read %s: %w", file, err)
			}
			dead(layout.DeadLetter{File: file, Line: int64(i) + 1, Stage: "read",
				Reason: "the JSON list breaks off here; the rest of the file was not read: " + err.Error()})
			return n + 1, nil
		}
		emit(transforms.Line{File: file, Number: int64(i) + 1, Text: string(raw)})
	}
	return n, nil
}

// parseFn parses one annotation record with grounding's parser for its format and sends
// the sample to its video, keyed by the video path as the annotation names it.
type parseFn struct {
	Format  string
	Options annotations.Options
}

func (fn *parseFn) ProcessElement(l transforms.Line, samples func(string, pending), filtered func(string), tallies func(string, int64), dead func(layout.DeadLetter)) {
	s, err := parseRecord(annotations.Format(fn.Format), l, fn.Options)
	if f, ok := annotations.IsFiltered(err); ok {
		filtered(f.Reason)
		tallies("filtered."+f.Reason, 1)
		return
	}
	if err != nil {
		dead(layout.DeadLetter{File: l.File, Line: l.Number, Stage: "parse", Reason: err.Error(), Record: l.Text})
		return
	}
	samples(s.Video, pending{File: l.File, Line: l.Number, Record: l.Text, Sample: s}.validUTF8())
}

// parseRecord parses one record: a line of a line format, or an element of an E.T.
// Instruct list (l.Number is then the 1-based element number).
func parseRecord(f annotations.Format, l transforms.Line, opts annotations.Options) (annotations.Sample, error) {
	switch f {
	case annotations.FormatCharades:
		return annotations.ParseCharadesLine(l.Text, annotations.LineAt(l.File, int(l.Number)), opts)
	case annotations.FormatMuseg:
		return annotations.ParseMusegLine(l.Text, annotations.LineAt(l.File, int(l.Number)), opts)
	case annotations.FormatETInstruct:
		return annotations.ParseETElement([]byte(l.Text), annotations.ElementAt(l.File, int(l.Number)-1), opts)
	}
	return annotations.Sample{}, fmt.Errorf("unknown annotation format %q", f)
}
