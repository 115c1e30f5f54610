package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/rlcurate/rlcurate/internal/annotations"
	"github.com/rlcurate/rlcurate/internal/media"
	"github.com/rlcurate/rlcurate/internal/sampling"
	"github.com/rlcurate/rlcurate/pipelines/video"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register(command{path: "video build", summary: "build timestamped grounding samples with pre-sampled frames from annotations and videos", setup: videoBuild})
}

func videoBuild(fs *flag.FlagSet) func(context.Context) error {
	var (
		o              video.BuildOptions
		format, split  string
		instr1, instr2 string
		seed           int
		matrix, frmt   string
		mergeOverlaps  bool
		rejectMismatch bool
		sampleOpts     = sampling.Museg()
		validate       = annotations.DefaultValidateOptions()
	)
	f := flags{fs}
	f.String(&o.Annotations, "annotations", "", "annotation file(s): a path, glob or gs:// URL")
	f.MaxLineBytes()
	f.String(&format, "format", "", "annotation format: museg (MUSEG JSONL), charades (Charades-STA lines) or etinstruct (E.T. Instruct JSON list)")
	f.String(&o.Videos, "videos", "", "folder (local or gs://) that the annotations' video paths are relative to; a video path that resolves outside it (.., absolute, symlink out, other bucket) is dead-lettered as outside_videos")
	f.Bool(&o.AllowOutsideVideos, "allow-outside-videos", false, "UNSAFE: let annotations name videos outside --videos (absolute paths, .., symlinks out of it); only for annotations you trust")
	f.String(&o.Output, "output", "", "output prefix (local folder or gs://bucket/path)")
	f.String(&o.CharadesExt, "charades-ext", annotations.DefaultCharadesExt, "file extension of Charades-STA videos")
	f.Float(&sampleOpts.FPS, "fps", sampleOpts.FPS, "frames per second to sample (qwen-vl-utils fps)")
	f.Int(&sampleOpts.MaxFrames, "max-frames", sampleOpts.MaxFrames, "most frames per video (qwen-vl-utils max_frames)")
	f.Int(&sampleOpts.MinPixels, "min-pixels", sampleOpts.MinPixels, "least pixels per frame (qwen-vl-utils min_pixels)")
	f.Int(&sampleOpts.TotalPixels, "total-pixels", sampleOpts.TotalPixels, "pixel budget of all frames of a video (qwen-vl-utils total_pixels)")
	f.Int(&o.JPEGQScale, "jpeg-quality", 2, "JPEG quantiser, 2 (best) to 31, as ffmpeg -q:v")
	f.String(&matrix, "color-matrix", string(media.ColorAuto), "YCbCr-to-RGB matrix of the frames: auto (the stream's tag, as ffmpeg, decord and torchcodec; untagged is BT.601), bt601 (as PyAV/torchvision and OpenCV) or bt709; see docs/video.md")
	f.String(&frmt, "frame-format", string(media.FrameJPEG), "image format of the frames: jpeg (at --jpeg-quality) or png (lossless)")
	f.Int(&o.Threads, "decode-threads", 0, "decoder threads per video (0: one per core)")
	f.Bool(&o.Reuse, "reuse-frames", true, "reuse the frames an earlier run into the same --output completed for a video of the same size and settings")
	f.Float(&validate.ClipToleranceSec, "clip-tolerance", validate.ClipToleranceSec, "seconds a segment may end beyond the video and be clipped (farther: rejected)")
	f.Int(&validate.MaxSegments, "max-segments", validate.MaxSegments, "most ground-truth segments per sample (0: no limit)")
	f.Bool(&mergeOverlaps, "merge-overlaps", false, "merge overlapping segments (recorded as a fix) instead of rejecting the sample")
	f.Float(&validate.DurationToleranceSec, "duration-tolerance", validate.DurationToleranceSec, "seconds the annotation's duration may differ from the probe before it is recorded as a fix")
	f.Bool(&rejectMismatch, "reject-duration-mismatch", false, "reject samples whose annotated duration differs from the probe instead of fixing it")
	f.String(&split, "phase-split", "5600:7000", "phase 1 : phase 2 ratio (counts or weights)")
	f.Int(&seed, "seed", 0, "seed of the question templates and the phase split")
	f.String(&instr1, "instructions-phase1", "", "phase 1 instruction template file (default: the project's)")
	f.String(&instr2, "instructions-phase2", "", "phase 2 instruction template file (default: the project's)")
	f.Shards(&o.Shards)
	f.String(&o.OutputFormat, "output-format", "both", "comma list of jsonl (PREFIX/data/, always), parquet (verl, PREFIX/parquet/) and museg (MUSEG's trainer, PREFIX/museg/); both = jsonl,parquet")
	f.String(&o.FrameRoot, "frame-root", "", "prefix for frame paths in parquet and museg rows, where the trainer mounts PREFIX (e.g. /mnt/gcs/run for gs://bucket/run); empty: the absolute --output (a gs:// URI for GCS)")
	f.Required("annotations", "format", "videos", "output")
	return func(ctx context.Context) error {
		var err error
		if o.Format, err = video.ParseFormat(format); err != nil {
			return err
		}
		if o.Videos == "" {
			return fmt.Errorf("video build: --videos is required")
		}
		if o.Ratio, err = parseRatio(split); err != nil {
			return err
		}
		if seed < 0 {
			return fmt.Errorf("--seed %d: want a non-negative number", seed)
		}
		o.Seed = uint64(seed)
		validate.MergeOverlaps, validate.RejectDurationMismatch = mergeOverlaps, rejectMismatch
		o.Sampling, o.Validate = sampleOpts, validate
		o.Frames = video.FrameOptions{ColorMatrix: media.ColorMatrix(matrix), Format: media.FrameFormat(frmt)} // checked by video.Build
		if o.Instructions, err = video.LoadInstructions(ctx, absPath(instr1), absPath(instr2)); err != nil {
			return err
		}
		o.Annotations, o.Videos, o.Output = absPath(o.Annotations), absPath(o.Videos), absPath(o.Output)
		// Before Beam starts: the first annotation records parse as --format and --videos
		// holds one of the videos they name. An error here exits 1 (nothing started).
		if err := video.Preflight(ctx, o); err != nil {
			return fmt.Errorf("video build: %w", err)
		}
		config := map[string]any{
			"annotations": o.Annotations, "format": string(o.Format), "videos": o.Videos, "allow_outside_videos": o.AllowOutsideVideos,
			"fps": sampleOpts.FPS, "max_frames": sampleOpts.MaxFrames, "min_pixels": sampleOpts.MinPixels, "total_pixels": sampleOpts.TotalPixels,
			"jpeg_quality": o.JPEGQScale, "color_matrix": string(o.Frames.ColorMatrix), "frame_format": string(o.Frames.Format), "clip_tolerance": validate.ClipToleranceSec, "max_segments": validate.MaxSegments,
			"merge_overlaps": mergeOverlaps, "duration_tolerance": validate.DurationToleranceSec, "reject_duration_mismatch": rejectMismatch,
			"phase_split": split, "seed": seed, "instructions_phase1": instr1, "instructions_phase2": instr2, "shards": o.Shards, "output_format": o.OutputFormat, "frame_root": o.FrameRoot,
		}
		_, err = runJob(ctx, "video build", o.Annotations, o.Output, config, func(s beam.Scope, job transforms.Job) error {
			return video.Build(s, job, o)
		}, video.BuildReport)
		return err
	}
}

// parseRatio parses "P1:P2" into a phase ratio.
func parseRatio(s string) (annotations.Ratio, error) {
	a, b, ok := strings.Cut(s, ":")
	p1, err1 := strconv.Atoi(strings.TrimSpace(a))
	p2, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil {
		return annotations.Ratio{}, fmt.Errorf("--phase-split %q: want P1:P2, e.g. 5600:7000", s)
	}
	r := annotations.Ratio{Phase1: p1, Phase2: p2}
	if err := r.Check(); err != nil {
		return r, fmt.Errorf("--phase-split %q: %w", s, err)
	}
	return r, nil
}
