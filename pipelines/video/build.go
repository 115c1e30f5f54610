package video

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/annotations"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/export"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/progress"
	"github.com/rlcurate/rlcurate/internal/sampling"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	// The types the stages pass each other (see buildrow.go); Beam encodes them with
	// its schema (row) coder.
	for _, t := range []any{pending{}, staged{}, Row{}, VideoRecord{}} {
		beam.RegisterType(reflect.TypeOf(t))
	}
	register.Function1x0[int](setVideoTotal)
	register.Function1x2[Row, string, error](encodeRow)
	register.Function3x0[context.Context, VideoRecord, func(string)](encodeVideoRecord)
}

// BuildOptions configures the video build job.
type BuildOptions struct {
	Annotations string             // annotation file(s): path, glob or gs:// URL
	Format      annotations.Format // charades_sta, et_instruct or museg_jsonl (see ParseFormat)
	Videos      string             // the folder (local or gs://) annotation video paths are relative to
	Output      string             // output prefix
	CharadesExt string             // extension of Charades-STA video files ("" = .mp4)
	// AllowOutsideVideos lets annotations name videos outside Videos (absolute paths, "..",
	// symlinks out, other buckets). Unsafe: annotations then choose which files are read.
	AllowOutsideVideos bool

	Sampling   sampling.Options            // qwen-vl-utils settings (zero fields: MUSEG's)
	JPEGQScale int                         // JPEG quantiser 2..31 (0: media's default, 2)
	Threads    int                         // decoder threads (0: one per core)
	Frames     FrameOptions                // colour matrix and image format of the frames
	Reuse      bool                        // reuse frames an earlier run with the same settings completed
	Validate   annotations.ValidateOptions // validation rules' settings

	Ratio        annotations.Ratio // phase split
	Seed         uint64            // question templates and phase split
	Instructions [2]string         // phase 1 and phase 2 instruction templates (text)
	Shards       int               // data shards
	OutputFormat string            // --output-format: a comma list of jsonl, parquet, museg (export.ParseFormats)
	FrameRoot    string            // prefix for frame paths in trainer rows, e.g. /mnt/gcs/run (empty: the absolute Output)
}

// ParseFormat maps the --format flag's values (museg, charades, etinstruct, or the
// annotations.Format names) to a annotations.Format.
func ParseFormat(s string) (annotations.Format, error) {
	switch strings.ToLower(s) {
	case "museg", string(annotations.FormatMuseg):
		return annotations.FormatMuseg, nil
	case "charades", "charades-sta", string(annotations.FormatCharades):
		return annotations.FormatCharades, nil
	case "etinstruct", "et-instruct", string(annotations.FormatETInstruct):
		return annotations.FormatETInstruct, nil
	}
	return "", fmt.Errorf("annotation format %q: want museg, charades or etinstruct", s)
}

// LoadInstructions returns the phase 1 and phase 2 instruction templates: the file at
// each path (local or gs://; trailing newlines dropped, a blank file is an error), or
// grounding's default for an empty path.
func LoadInstructions(ctx context.Context, phase1, phase2 string) ([2]string, error) {
	var out [2]string
	for i, p := range []string{phase1, phase2} {
		if p == "" {
			d, err := annotations.DefaultInstruction(annotations.Phase(i + 1))
			if err != nil {
				return out, err
			}
			out[i] = d
			continue
		}
		b, err := blob.ReadFile(ctx, p)
		if err != nil {
			return out, fmt.Errorf("phase %d instruction: %w", i+1, err)
		}
		t := strings.TrimRight(string(b), "\r\n")
		if strings.TrimSpace(t) == "" {
			return out, fmt.Errorf("phase %d instruction %s is empty", i+1, p)
		}
		out[i] = t
	}
	return out, nil
}

// Build builds the video build job: annotations are parsed and sorted by video with
// bounded memory (buildVideos); each video is probed, its samples validated, its frames
// sampled once for all its samples and written as JPEG under PREFIX/frames/<video key>/; the samples get their phase (an exact
// stratified split over the written samples) and are written as Rows under PREFIX/data/,
// with one VideoRecord per video under PREFIX/videos/, rejected records under
// PREFIX/deadletter/ and the manifest, whose counts hold one tally per validation rule
// and outcome ("rule.<rule>.rejected", "rule.<rule>.fixed").
func Build(s beam.Scope, job transforms.Job, o BuildOptions) error {
	if err := o.Ratio.Check(); err != nil {
		return fmt.Errorf("phase split: %w", err)
	}
	if o.Instructions[0] == "" || o.Instructions[1] == "" {
		return fmt.Errorf("instruction templates missing (use LoadInstructions)")
	}
	formats, err := export.ParseFormats(o.OutputFormat, export.Video)
	if err != nil {
		return err
	}
	root, err := frameRoot(o.FrameRoot, o.Output)
	if err != nil {
		return err
	}
	if o.JPEGQScale != 0 && (o.JPEGQScale < 2 || o.JPEGQScale > 31) {
		return fmt.Errorf("jpeg quality %d: want 2 (best) to 31", o.JPEGQScale)
	}
	frames, err := o.Frames.Normalized()
	if err != nil {
		return err
	}
	s = s.Scope("VideoBuild")
	a := readAnnotations(s, o.Annotations, o.Format, job, annotations.Options{CharadesExt: o.CharadesExt, Seed: o.Seed})

	v := buildVideos(s, a.Samples, &videoFn{Root: o.Videos, Prefix: o.Output, Sampling: o.Sampling, Validate: o.Validate, JPEGQScale: o.JPEGQScale, Threads: o.Threads, Frames: frames, Reuse: o.Reuse, AllowOutside: o.AllowOutsideVideos})
	rows, phaseTallies := assignPhases(s, v.Staged, &phaseFn{Ratio: o.Ratio, Seed: o.Seed, Instructions: o.Instructions})

	data := transforms.WriteData(s, transforms.Sink{Prefix: o.Output, Output: layout.DataOutput, Name: "samples", Shards: o.Shards},
		formats, export.Options{Kind: export.Video, FrameRoot: root}, beam.ParDo(s, encodeRow, rows))
	vids := transforms.WriteJSONL(s, transforms.Sink{Prefix: o.Output, Output: VideosOutput, Name: "videos", Shards: 1},
		beam.ParDo(s, encodeVideoRecord, v.Records))
	dl := transforms.WriteDeadLetters(s, o.Output, 1, append(a.Dead, v.Dead)...)

	tallies := []beam.PCollection{transforms.Tally(s, layout.CountFiltered, a.Filtered), a.Tallies, v.Tallies, phaseTallies}
	for _, r := range a.Read {
		tallies = append(tallies, transforms.Tally(s, layout.CountRead, r))
	}
	transforms.WriteManifest(s, job, transforms.Accounts{Tallies: tallies, Shards: append(data, vids, dl), Extras: []beam.PCollection{MaxPromptLength(s, rows)}})
	return nil
}

// encodeRow encodes a row as a line of PREFIX/data/ (the Parquet writer reads it too).
func encodeRow(r Row) (string, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return "", fmt.Errorf("encode row %s: %w", r.ID, err)
	}
	return string(b), nil
}

// encodeVideoRecord encodes a record as a line of PREFIX/videos/. A record that cannot
// be encoded is left out with a warning: it describes a video, and its samples stand
// without it.
func encodeVideoRecord(ctx context.Context, v VideoRecord, emit func(string)) {
	b, err := json.Marshal(v)
	if err != nil {
		log.Warnf(ctx, "video %s: record left out of %s/: %v", v.Video, VideosOutput, err)
		return
	}
	emit(string(b))
}

// setVideoTotal tells the progress display how many videos the job will decode.
func setVideoTotal(n int) { progress.SetTotal("videos", int64(n)) }
