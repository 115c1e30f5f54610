package video

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/annotations"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/media"
	"github.com/rlcurate/rlcurate/internal/progress"
	"github.com/rlcurate/rlcurate/internal/sampling"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register.DoFn7x1[context.Context, transforms.Part, func(staged), func(string, int64), func(VideoRecord), func(layout.DeadLetter), func(int), error](&videoFn{})
	register.Emitter1[staged]()
	register.Emitter1[VideoRecord]()
}

// builtVideos are videoFn's outputs.
type builtVideos struct {
	Staged  beam.PCollection // staged: one per written sample, waiting for its phase
	Tallies beam.PCollection // KV<string, int64>: "rule.<rule>.<outcome>", CountVideosReused
	Records beam.PCollection // VideoRecord: one per video
	Dead    beam.PCollection // layout.DeadLetter: samples rejected by validation or their video
}

// VideoRecord is one line of PREFIX/videos/*.jsonl: what the build did with one video.
type VideoRecord struct {
	// Video is the path as the annotations name it; Key its frame folder (VideoKey).
	Video string `json:"video"`
	Key   string `json:"key"`
	// Samples is the number of annotations naming the video; Written how many became rows.
	Samples int `json:"samples"`
	Written int `json:"written"`
	// Class and Error say why the video could not be used (empty when it was).
	Class string `json:"class,omitempty"`
	Error string `json:"error,omitempty"`
	// DurationSec is the duration samples were validated against (VideoDurationSec).
	DurationSec float64 `json:"duration_sec,omitempty"`
	// Probe is the probed description of the video (nil when the probe failed).
	Probe *media.Info `json:"probe,omitempty"`
	// Frames is the number of frames sampled; Width and Height their size.
	Frames int `json:"frames,omitempty"`
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
	// DecodeSec is the wall time of the sampling pass; DecodeFPS frames decoded per second of it.
	DecodeSec float64 `json:"decode_sec,omitempty"`
	DecodeFPS float64 `json:"decode_fps,omitempty"`
	// Stats describes the decode that made the frames (an earlier run's when Reused).
	Stats media.Stats `json:"stats"`
	// Reused says the frames of an earlier run were reused: no download, probe or decode.
	Reused bool `json:"reused,omitempty"`
}

// videoFn builds the videos of one part of the sort by video (buildVideos), one at a
// time, then emits the part's index on merged. For every video: probe, validate each sample, plan, decode
// the video once, write its frames and emit one staged row per valid sample, and one
// VideoRecord saying what it did with the video. A video
// that cannot be read or sampled dead-letters all its samples with the media error's
// class; a frame that cannot be written fails the bundle (so the runner retries it).
type videoFn struct {
	Root       string
	Prefix     string
	Sampling   sampling.Options
	Validate   annotations.ValidateOptions
	JPEGQScale int
	Threads    int
	// Frames says how frames are converted and encoded (colour matrix, image format).
	Frames FrameOptions
	// Reuse reuses the frames of an earlier run of the same settings (framesDone).
	Reuse bool
	// AllowOutside turns off the confinement of video paths to Root (resolveVideo).
	AllowOutside bool

	dec func(io.Reader) (any, error) // decodes the sorted samples (pendingCoders)
}

// FrameOptions say how sampled frames are made beyond the sampling plan.
type FrameOptions struct {
	// ColorMatrix is the YCbCr-to-RGB matrix ("" or media.ColorAuto: the stream's tag).
	ColorMatrix media.ColorMatrix `json:"color_matrix"`
	// Format is the image format of the frames ("" or media.FrameJPEG: JPEG).
	Format media.FrameFormat `json:"format"`
}

// Normalized returns o with the defaults spelled out, or an error naming a bad value.
func (o FrameOptions) Normalized() (FrameOptions, error) {
	m, err := media.ParseColorMatrix(string(o.ColorMatrix))
	if err != nil {
		return o, err
	}
	f, err := media.ParseFrameFormat(string(o.Format))
	if err != nil {
		return o, err
	}
	return FrameOptions{ColorMatrix: m, Format: f}, nil
}

// CountVideosReused counts the videos whose frames were reused from an earlier run.
const CountVideosReused = "videos.reused"

// frameWriteError marks a failure to store a frame, as opposed to a media error.
type frameWriteError struct{ err error }

func (e *frameWriteError) Error() string { return e.err.Error() }
func (e *frameWriteError) Unwrap() error { return e.err }

// videoEmitters are videoFn's outputs.
type videoEmitters struct {
	rows    func(staged)
	tallies func(string, int64)
	videos  func(VideoRecord)
	dead    func(layout.DeadLetter)
}

// reject records in rec that the video cannot be used because of err, and
// dead-letters samples under the rule of err's class: RuleOutsideVideos for a path
// that leaves the root, else the media class's rule.
func (e videoEmitters) reject(rec *VideoRecord, samples []pending, err error) {
	rec.Class, rec.Error = MediaClass(err), err.Error()
	rule := VideoRule(rec.Class)
	if errors.Is(err, ErrOutsideVideos) {
		rec.Class, rule = RuleOutsideVideos, RuleOutsideVideos
	}
	e.tallies("rule."+rule+".rejected", int64(len(samples)))
	for _, p := range samples {
		e.dead(layout.DeadLetter{File: p.File, Line: p.Line, ID: p.Sample.Key, Stage: "video", Reason: rule + ": " + err.Error(), Record: p.Record})
	}
}

func (fn *videoFn) Setup() error {
	var err error
	_, fn.dec, err = pendingCoders()
	return err
}

func (fn *videoFn) ProcessElement(ctx context.Context, part transforms.Part, rows func(staged), tallies func(string, int64), videos func(VideoRecord), dead func(layout.DeadLetter), merged func(int)) error {
	e := videoEmitters{rows: rows, tallies: tallies, videos: videos, dead: dead}
	err := eachVideo(ctx, part, fn.dec, func(video string, ps []pending) error {
		return fn.build(ctx, video, ps, e)
	})
	if err != nil {
		return err
	}
	merged(part.Index)
	return nil
}

// build builds one video and its samples, emitting through e.
func (fn *videoFn) build(ctx context.Context, video string, ps []pending, e videoEmitters) error {
	rec := VideoRecord{Video: video, Key: VideoKey(video), Samples: len(ps)}
	defer func() {
		progress.Add("videos", 1)
		e.videos(rec)
	}()

	// The path is checked (and its symlinks resolved) before anything touches the file,
	// frames reused from an earlier run included; src is what was checked and what is read.
	src, err := resolveVideo(fn.Root, video, !fn.AllowOutside)
	if err != nil {
		e.reject(&rec, ps, err)
		return nil
	}
	fingerprint := ""
	if fn.Reuse {
		fingerprint = framesFingerprint(ctx, src, fn.Sampling, fn.JPEGQScale, fn.Frames)
		if done, ok := readDone(ctx, fn.Prefix, rec.Key, fingerprint); ok {
			rec.Reused = true
			e.tallies(CountVideosReused, 1)
			valid, _ := validateAll(ps, done.DurationSec, fn.Validate, e.tallies, e.dead)
			emitRows(&rec, done, valid, e.rows)
			return nil
		}
	}
	done, valid, err := fn.makeFrames(ctx, &rec, src, fingerprint, ps, e)
	if err != nil || done == nil {
		return err
	}
	emitRows(&rec, *done, valid, e.rows)
	return nil
}

// makeFrames probes and plans the video at src, validates its samples against the
// probed duration, then decodes the video once and writes the frames of the valid ones
// (and, with a fingerprint, the marker that lets a rerun reuse them). It returns no
// frames when there is no row to emit: the video cannot be used (its samples are
// rejected through e) or none of its samples is valid. An error fails the bundle.
func (fn *videoFn) makeFrames(ctx context.Context, rec *VideoRecord, src, fingerprint string, ps []pending, e videoEmitters) (*framesDone, []annotations.Sample, error) {
	local, cleanup, err := localVideo(ctx, src)
	if err != nil {
		if errors.Is(err, media.ErrNotFound) {
			e.reject(rec, ps, err)
			return nil, nil, nil
		}
		return nil, nil, err
	}
	defer cleanup()
	info, plan, err := fn.probe(ctx, rec, local)
	if err != nil {
		e.reject(rec, ps, err)
		return nil, nil, nil
	}
	valid, validPending := validateAll(ps, rec.DurationSec, fn.Validate, e.tallies, e.dead)
	if len(valid) == 0 {
		return nil, nil, nil
	}
	if err := removeDone(ctx, fn.Prefix, rec.Key); err != nil {
		return nil, nil, err
	}
	frames, stats, took, err := fn.sample(ctx, local, rec.Key, plan)
	rec.Stats = stats
	if err != nil {
		var we *frameWriteError
		if errors.As(err, &we) {
			return nil, nil, err
		}
		e.reject(rec, validPending, err)
		return nil, nil, nil
	}
	rec.DecodeSec = took.Seconds()
	if rec.DecodeSec > 0 {
		rec.DecodeFPS = float64(stats.Decoded) / rec.DecodeSec
	}
	done := framesDone{Fingerprint: fingerprint, Probe: info, DurationSec: rec.DurationSec, Frames: frames, Stats: stats}
	if fingerprint != "" {
		if err := writeDone(ctx, fn.Prefix, rec.Key, done); err != nil {
			return nil, nil, err
		}
	}
	return &done, valid, nil
}

// probe probes the local copy of the video, records the probe and the duration the
// samples are validated against in rec, and plans the frames to sample.
func (fn *videoFn) probe(ctx context.Context, rec *VideoRecord, local string) (media.Info, sampling.Plan, error) {
	info, err := media.Probe(ctx, local, media.Limits{})
	if err != nil {
		return info, sampling.Plan{}, err
	}
	rec.Probe, rec.DurationSec = &info, VideoDurationSec(info)
	plan, err := sampling.NewPlan(info.Frames, info.FPS(), info.DisplayWidth, info.DisplayHeight, fn.Sampling)
	if err != nil {
		return info, plan, fmt.Errorf("video %s: %w", rec.Video, err)
	}
	return info, plan, nil
}

// emitRows emits the staged row of every valid sample of the video whose frames done
// describes, and fills rec from done.
func emitRows(rec *VideoRecord, done framesDone, valid []annotations.Sample, rows func(staged)) {
	rec.Probe, rec.DurationSec, rec.Stats = &done.Probe, done.DurationSec, done.Stats
	rec.Frames, rec.Width, rec.Height = len(done.Frames.Paths), done.Frames.Width, done.Frames.Height
	for _, s := range valid {
		rows(staged{Row: newRow(s, done.DurationSec, done.Frames), Group: annotations.GroupKey(s.Video, s.Query)})
		rec.Written++
	}
	progress.Add("samples", int64(len(valid)))
}

// validateAll validates every sample against the duration, in input order (file, then
// line), tallying each rejection under "rule.<rule>.rejected" (and dead-lettering it)
// and each rule that fixed a kept sample under "rule.<rule>.fixed" (once per sample). A
// valid sample with the Identity of an earlier one is rejected under
// annotations.RuleDuplicate. It returns the kept samples and their pending records.
func validateAll(ps []pending, durationSec float64, opts annotations.ValidateOptions, tallies func(string, int64), dead func(layout.DeadLetter)) ([]annotations.Sample, []pending) {
	slices.SortStableFunc(ps, func(a, b pending) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	var kept []annotations.Sample
	var keptPending []pending
	first := map[string]pending{}
	for _, p := range ps {
		s, err := annotations.Validate(p.Sample, durationSec, opts)
		if err == nil {
			if f, ok := first[s.Identity()]; ok {
				err = &annotations.Rejection{Rule: annotations.RuleDuplicate,
					Reason: fmt.Sprintf("same video, task, query and segments as %s:%d", f.File, f.Line)}
			}
		}
		if err != nil {
			var rej *annotations.Rejection
			rule := "invalid"
			if errors.As(err, &rej) {
				rule = string(rej.Rule)
			}
			tallies("rule."+rule+".rejected", 1)
			dead(layout.DeadLetter{File: p.File, Line: p.Line, ID: p.Sample.Key, Stage: "validate", Reason: err.Error(), Record: p.Record})
			continue
		}
		first[s.Identity()] = p
		seen := map[string]bool{}
		for _, f := range s.Fixes {
			if r := annotations.FixRule(f); !seen[r] {
				seen[r] = true
				tallies("rule."+r+".fixed", 1)
			}
		}
		kept = append(kept, s)
		keptPending = append(keptPending, p)
	}
	return kept, keptPending
}

// sample decodes the planned frames once, then writes each under PREFIX/frames/<key>/
// (JPEG or PNG, fn.Frames.Format) and removes the folder's other frames (an earlier
// run's plan or format). The images wait in memory until the decode has succeeded, so a
// video that fails partway leaves no frames behind; they are at most the plan's frames,
// whose pixels the total-pixels budget bounds (a few MB of JPEG, some tens of PNG),
// whatever the video's length.
func (fn *videoFn) sample(ctx context.Context, local, key string, plan sampling.Plan) (Frames, media.Stats, time.Duration, error) {
	fr := Frames{
		Paths:      make([]string, len(plan.Indices)),
		Timestamps: make([]float64, len(plan.Indices)),
		FPS:        plan.SampleFPS,
		Width:      plan.Width,
		Height:     plan.Height,
	}
	for i, idx := range plan.Indices {
		fr.Paths[i] = framePath(key, idx, fn.Frames.Format)
	}
	images := make([][]byte, len(plan.Indices))
	start := time.Now()
	stats, err := media.Sample(ctx, local, media.Plan{Indices: plan.Indices, Width: plan.Width, Height: plan.Height},
		media.Options{JPEGQScale: fn.JPEGQScale, Threads: fn.Threads, ColorMatrix: fn.Frames.ColorMatrix, Format: fn.Frames.Format},
		func(i int, ptsSec float64, image []byte) error {
			fr.Timestamps[i] = math.Round(ptsSec*1e6) / 1e6
			images[i] = image
			progress.Add("frames", 1)
			return nil
		})
	took := time.Since(start)
	if err == nil && stats.Emitted != len(plan.Indices) {
		err = fmt.Errorf("sample %s: %d of %d planned frames decoded: %w", local, stats.Emitted, len(plan.Indices), media.ErrCorrupt)
	}
	if err != nil {
		return fr, stats, took, err
	}
	if err := writeFrames(ctx, fn.Prefix, fr.Paths, images); err != nil {
		return fr, stats, took, &frameWriteError{err}
	}
	if err := pruneFrames(ctx, fn.Prefix, key, fr.Paths); err != nil {
		return fr, stats, took, &frameWriteError{err}
	}
	return fr, stats, took, nil
}

// newRow builds the row of a validated sample, without its phase, prompt and reward.
func newRow(s annotations.Sample, durationSec float64, frames Frames) Row {
	fixes := s.Fixes
	if fixes == nil {
		fixes = []string{}
	}
	return Row{
		ID: s.Key, Video: s.Video, Task: s.Task, Query: s.Query, Question: s.Question,
		Solution: s.Solution, Duration: durationSec, Frames: frames,
		Format: s.Format, Origin: s.Origin, Source: s.Raw, Fixes: fixes,
	}
}
