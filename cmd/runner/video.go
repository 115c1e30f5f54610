package main

import (
	"context"
	"flag"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/rlcurate/rlcurate/pipelines/video"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register(command{path: "video score", summary: "score MUSEG rollouts with the phased rewards", setup: videoScore})
}

func videoScore(fs *flag.FlagSet) func(context.Context) error {
	var o video.ScoreOptions
	f := flags{fs}
	f.String(&o.Input, "input", "", "rollouts JSONL {id, completion, solution}: a path, glob or gs:// URL")
	f.MaxLineBytes()
	f.String(&o.Output, "output", "", "output prefix (local folder or gs://bucket/path)")
	f.Int(&o.Phase, "phase", 1, "MUSEG training phase: 1 (format with timestamp check) or 2")
	f.String(&o.Mode, "mode", "compat", "compat (as released) or strict (documented fixes)")
	f.Shards(&o.Shards)
	f.Required("input", "output")
	return func(ctx context.Context) error {
		o.Input, o.Output = absPath(o.Input), absPath(o.Output)
		config := map[string]any{"input": o.Input, "phase": o.Phase, "mode": o.Mode, "shards": o.Shards}
		_, err := runJob(ctx, "video score", o.Input, o.Output, config, func(s beam.Scope, job transforms.Job) error {
			return video.Score(s, job, o)
		}, video.ScoreReport)
		return err
	}
}
