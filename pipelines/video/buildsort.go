package video

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/graph/coder"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register.DoFn3x1[string, pending, func(string, []byte), error](&keyPendingFn{})
	register.DoFn3x1[context.Context, transforms.Part, func(int), error](&countVideosFn{})
	register.Emitter2[string, []byte]()
	register.Emitter1[int]()
}

// videoPartRows is about how many samples one part of the sort by video holds. A part is
// the unit of parallel work (its videos are built one after another), and decoding a
// video costs far more than reading its samples, so parts are small.
const videoPartRows = 256

// buildVideos sorts the samples (KV<video path, pending>) by video with bounded memory
// (transforms.SortEntries, run files under PREFIX/data/, fn.Prefix being the job's
// output prefix) and runs fn on every part: fn builds the videos of the part one at a
// time, holding only one video's samples. The number of videos goes to the progress
// display (setVideoTotal), and the run files are removed once every part is merged.
func buildVideos(s beam.Scope, samples beam.PCollection, fn *videoFn) builtVideos {
	s = s.Scope("Videos")
	keyed := beam.ParDo(s, &keyPendingFn{}, samples)
	cfg := transforms.Sort{Dir: blob.Join(fn.Prefix, layout.DataOutput), Name: "videos",
		Buckets: transforms.AutoShardBuckets, PartRows: videoPartRows}
	parts, runs := transforms.SortEntries(s, cfg, keyed)
	counts := beam.ParDo(s, &countVideosFn{}, parts)
	beam.ParDo0(s, setVideoTotal, stats.Sum(s, counts))
	rows, tallies, records, dead, merged := beam.ParDo5(s, fn, parts)
	transforms.RemoveRuns(s, runs, counts, merged)
	return builtVideos{Staged: rows, Tallies: tallies, Records: records, Dead: dead}
}

// pendingCoders return the encoder and decoder of pending records: Beam's row coder,
// the coder that carries them between stages, so a record comes out of the sort as it
// went in.
func pendingCoders() (func(any, io.Writer) error, func(io.Reader) (any, error), error) {
	t := reflect.TypeOf(pending{})
	enc, err := coder.RowEncoderForStruct(t)
	if err != nil {
		return nil, nil, fmt.Errorf("row coder of pending: %w", err)
	}
	dec, err := coder.RowDecoderForStruct(t)
	if err != nil {
		return nil, nil, fmt.Errorf("row coder of pending: %w", err)
	}
	return enc, dec, nil
}

// keyPendingFn keys a sample by its video, with its file, line and encoded record as the
// sort value (transforms.LineSortValue): a video's samples come out of the sort in file
// and line order, whichever bundles read them.
type keyPendingFn struct {
	enc func(any, io.Writer) error
}

func (fn *keyPendingFn) Setup() error {
	var err error
	fn.enc, _, err = pendingCoders()
	return err
}

func (fn *keyPendingFn) ProcessElement(video string, p pending, emit func(string, []byte)) error {
	var b bytes.Buffer
	if err := fn.enc(p, &b); err != nil {
		return fmt.Errorf("encode the sample of %s:%d: %w", p.File, p.Line, err)
	}
	emit(video, transforms.LineSortValue(transforms.Line{File: p.File, Number: p.Line, Text: b.String()}))
	return nil
}

// eachVideo merges one part of the sort by video and calls fn with every video of it and
// its samples, in file and line order; only one video's samples are held at a time.
func eachVideo(ctx context.Context, part transforms.Part, dec func(io.Reader) (any, error), fn func(video string, ps []pending) error) error {
	var video string
	var ps []pending
	err := transforms.MergePart(ctx, part, func(key string, value []byte) error {
		if len(ps) > 0 && key != video {
			if err := fn(video, ps); err != nil {
				return err
			}
			ps = nil
		}
		video = key
		l, err := transforms.DecodeLineSortValue(value)
		if err != nil {
			return err
		}
		p, err := dec(strings.NewReader(l.Text))
		if err != nil {
			return fmt.Errorf("decode the sample of %s:%d: %w", l.File, l.Number, err)
		}
		ps = append(ps, p.(pending))
		return nil
	})
	if err != nil || len(ps) == 0 {
		return err
	}
	return fn(video, ps)
}

// countVideosFn counts the videos of one part of the sort by video (its distinct keys),
// reading no more than the merge.
type countVideosFn struct{}

func (*countVideosFn) ProcessElement(ctx context.Context, part transforms.Part, emit func(int)) error {
	n, prev := 0, ""
	err := transforms.MergePart(ctx, part, func(key string, _ []byte) error {
		if n == 0 || key != prev {
			n++
		}
		prev = key
		return nil
	})
	if err != nil {
		return err
	}
	emit(n)
	return nil
}
