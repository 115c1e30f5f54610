package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/rlcurate/rlcurate/internal/launch"
	"github.com/rlcurate/rlcurate/pipelines/curriculum"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register(command{path: "curriculum difficulty", summary: "keep samples by the pass rate of their rollouts (zero variance, difficulty band)", setup: curriculumDifficulty})
	register(command{path: "curriculum mix", summary: "mix sources in exact proportions by a seeded uniform draw", setup: curriculumMix})
}

func curriculumDifficulty(fs *flag.FlagSet) func(context.Context) error {
	var o curriculum.DifficultyOptions
	f := flags{fs}
	var band string
	var minRollouts int
	f.String(&o.Rollouts, "rollouts", "", "rollout reward rows: writing label or video score data (paths, globs or gs:// URLs joined by \",\")")
	f.String(&o.Samples, "samples", "", "sample rows to filter (keyed by id); without it, one row per kept sample")
	f.MaxLineBytes()
	f.String(&o.Output, "output", "", "output prefix (local folder or gs://bucket/path)")
	f.String(&band, "band", "0:1", "LO:HI: keep samples whose mean normalised reward lies in [LO, HI]")
	f.Bool(&o.Rule.DropZeroVariance, "drop-zero-variance", true, "drop samples whose rollouts all got the same reward (DAPO)")
	f.Int(&minRollouts, "min-rollouts", 1, "drop samples with fewer rollouts")
	f.Bool(&o.DropUnrolled, "drop-unrolled", false, "drop --samples rows that have no rollout (kept by default)")
	f.String(&o.Rewards, "rewards", "paper", "writing reward values the labels were paid with: paper (1/0.5/0) or released (1.1/0.55/0.1)")
	f.Shards(&o.Shards)
	f.Required("rollouts", "output")
	return func(ctx context.Context) error {
		var err error
		if o.Rule.Band, err = curriculum.ParseBand(band); err != nil {
			return fmt.Errorf("--band: %w", err)
		}
		if minRollouts < 1 {
			return fmt.Errorf("--min-rollouts %d: want at least 1", minRollouts)
		}
		o.Rule.MinRollouts = int64(minRollouts)
		if o.Rollouts, err = checkPaths(ctx, "rollouts", o.Rollouts); err != nil {
			return err
		}
		if o.Samples, err = checkPaths(ctx, "samples", o.Samples); err != nil {
			return err
		}
		o.Output = absPath(o.Output)
		config := map[string]any{"rollouts": o.Rollouts, "samples": o.Samples, "band": o.Rule.Band.String(),
			"drop_zero_variance": o.Rule.DropZeroVariance, "min_rollouts": minRollouts, "drop_unrolled": o.DropUnrolled,
			"rewards": o.Rewards, "shards": o.Shards}
		_, err = runJob(ctx, "curriculum difficulty", "", o.Output, config, func(s beam.Scope, job transforms.Job) error {
			return curriculum.Difficulty(s, job, o)
		}, curriculum.DifficultyReport)
		return err
	}
}

// sourceFlags is the repeatable --source NAME=PATHS:WEIGHT.
type sourceFlags []curriculum.Source

func (v *sourceFlags) String() string { return "" }

func (v *sourceFlags) Set(s string) error {
	src, err := curriculum.ParseSource(s)
	if err != nil {
		return err
	}
	*v = append(*v, src)
	return nil
}

func curriculumMix(fs *flag.FlagSet) func(context.Context) error {
	var o curriculum.MixOptions
	f := flags{fs}
	var sources sourceFlags
	var total, seed int
	ownFlags["source"] = true
	fs.Var(&sources, "source", "NAME=PATHS:WEIGHT, once per source (PATHS: paths, globs or gs:// URLs joined by \",\")")
	f.Int(&total, "total", 0, "rows in the mix, split among the sources by weight (largest remainder)")
	f.Int(&seed, "seed", 0, "seed of the draw and of the output order")
	f.MaxLineBytes()
	f.String(&o.Output, "output", "", "output prefix (local folder or gs://bucket/path)")
	f.Bool(&o.WithReplacement, "with-replacement", false, "draw with replacement (a quota may exceed its source)")
	f.Shards(&o.Shards)
	f.Required("source", "total", "output")
	return func(ctx context.Context) error {
		if len(sources) == 0 || total < 1 {
			return errors.New("curriculum mix: at least one --source and a --total of at least 1 are required")
		}
		o.Total, o.Seed, o.Output = int64(total), int64(seed), absPath(o.Output)
		quotas, err := curriculum.SourceQuotas(sources, o.Total)
		if err != nil {
			return err
		}
		config := map[string]any{"total": total, "seed": seed, "with_replacement": o.WithReplacement, "shards": o.Shards}
		for i, src := range sources {
			joined, err := checkPaths(ctx, "source "+src.Name, strings.Join(src.Paths, ","))
			if err != nil {
				return err
			}
			sources[i].Paths = strings.Split(joined, ",")
			config["source."+src.Name] = map[string]any{"paths": joined, "weight": src.Weight, "quota": quotas[i]}
		}
		o.Sources = sources
		_, err = runJob(ctx, "curriculum mix", "", o.Output, config, func(s beam.Scope, job transforms.Job) error {
			return curriculum.Mix(s, job, o)
		}, curriculum.MixReport)
		return unfillable(err)
	}
}

// unfillable turns a job that failed on a quota larger than its source into the usage
// error it is (exit 1), with the message that names the source.
func unfillable(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	i := strings.Index(msg, curriculum.UnfillableQuota)
	if i < 0 {
		return err
	}
	msg = msg[i:]
	if j := strings.IndexAny(msg, "\n\t"); j > 0 {
		msg = msg[:j]
	}
	if j := strings.Index(msg, ")"); j > 0 {
		msg = msg[:j+1]
	}
	return launch.WithCode(launch.ExitUsage, fmt.Errorf("curriculum mix: %s", msg))
}

// checkPaths checks that every path of a comma-separated list names input (exit 1
// before the job otherwise) and returns the list with local paths made absolute.
func checkPaths(ctx context.Context, what, paths string) (string, error) {
	var out []string
	for _, p := range curriculum.SplitPaths(paths) {
		p = absPath(p)
		if _, err := transforms.CheckInput(ctx, p); err != nil {
			return "", fmt.Errorf("--%s: %w", what, err)
		}
		out = append(out, p)
	}
	return strings.Join(out, ","), nil
}
