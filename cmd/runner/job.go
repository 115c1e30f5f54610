package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/launch"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/transforms"
)

// uiPort, when set, serves prism's web UI while a job runs (embedded runner only).
var uiPort = flag.Int("ui", 0, "serve prism's web UI on this local port while the job runs (0: off)")

// verbose shows the embedded runner's informational log lines too.
var verbose = flag.Bool("verbose", false, "show the embedded runner's informational log lines (job states, workers)")

// limit is --limit: read only the first N records of the job's main input.
var limit = flag.Int64("limit", 0, "read only the first N records of the main input, for a quick try (0: all)")

// quiet silences the progress line on stderr.
var quiet = flag.Bool("quiet", false, "no progress line on stderr")

// maxDeadFraction is --max-dead-letter-fraction, on every job: a finished job that
// dead-lettered a larger fraction of what it read exits 3.
var maxDeadFraction = flag.Float64("max-dead-letter-fraction", launch.DefaultMaxDeadLetterFraction,
	"exit 3 when the job dead-letters more than this fraction of the records it read (0..1)")

// runJob runs the job (runPipeline) and then writes its summary as the last line of stdout,
// whatever the outcome.
func runJob(ctx context.Context, name, input, prefix string, config map[string]any, build func(s beam.Scope, job transforms.Job) error, rep launch.Reporter) (m layout.Manifest, err error) {
	start := time.Now()
	defer func() { writeSummary(os.Stdout, name, prefix, m, err, time.Since(start)) }()
	return runPipeline(ctx, name, input, prefix, config, build, rep)
}

// runPipeline checks the input and output up front, builds the job with build and runs it.
// Errors before the job starts exit 1 (launch.ExitCode), its failure exits 2, and a
// published job that wrote nothing from a non-empty input or dead-lettered more than
// --max-dead-letter-fraction returns launch.Verdict's error (exit 3) after its report.
//
// Local paths must reach workers that run in other processes and folders: callers pass
// them through absPath first.
// After the job, rep (if not nil) writes PREFIX/report.html. It returns the manifest.
func runPipeline(ctx context.Context, name, input, prefix string, config map[string]any, build func(s beam.Scope, job transforms.Job) error, rep launch.Reporter) (layout.Manifest, error) {
	if err := checkJobFlags(name, prefix); err != nil {
		return layout.Manifest{}, err
	}
	job, inputBytes, err := prepareJob(ctx, name, input, prefix, config)
	if err != nil {
		return layout.Manifest{}, err
	}
	if err := launch.CheckOutput(ctx, prefix); err != nil {
		return layout.Manifest{}, err
	}
	release, err := launch.LockOutput(prefix)
	if err != nil {
		return layout.Manifest{}, err
	}
	defer release()
	if err := setUpRunner(ctx); err != nil {
		return layout.Manifest{}, err
	}
	stopProfile, err := startCPUProfile()
	if err != nil {
		return layout.Manifest{}, err
	}
	defer stopProfile()
	p, s := beam.NewPipelineWithRoot()
	if err := build(s, job); err != nil {
		return layout.Manifest{}, fmt.Errorf("%s: %w", name, err)
	}
	if launch.IsDataflow() && launch.DryRun() {
		return layout.Manifest{}, launch.PrintPlan(os.Stderr, p, name, prefix, []string{layout.DataOutput, layout.DeadLetterOutput})
	}
	m, err := launch.Run(ctx, p, prefix, map[string]int64{transforms.ProgressBytes: inputBytes}, os.Stderr)
	if err != nil {
		return m, err
	}
	if rep != nil {
		if err := launch.WriteReport(ctx, prefix, m, rep); err != nil {
			return m, err
		}
		fmt.Fprintf(os.Stderr, "report: %s\n", blob.Join(prefix, "report.html"))
	}
	return m, launch.Verdict(m, *maxDeadFraction, func() []string { return launch.TopReasons(ctx, prefix, m, 3) })
}

// checkJobFlags checks the flags every job shares.
func checkJobFlags(name, prefix string) error {
	if *maxDeadFraction < 0 || *maxDeadFraction > 1 {
		return fmt.Errorf("--max-dead-letter-fraction %g: want a fraction between 0 and 1", *maxDeadFraction)
	}
	if maxLineBytes <= 0 {
		return fmt.Errorf("--max-line-bytes %d: want a positive number of bytes", maxLineBytes)
	}
	if prefix == "" {
		return fmt.Errorf("%s: --output is required", name)
	}
	return nil
}

// prepareJob checks the main input and returns the job with its config completed (the
// invocation for `runner rerun`, start time, inputs with their hashes, versions) and,
// with --limit, its input cut; inputBytes is what the job will read, for the ETA.
func prepareJob(ctx context.Context, name, input, prefix string, config map[string]any) (job transforms.Job, inputBytes int64, err error) {
	if config == nil {
		config = map[string]any{}
	}
	config["invocation"] = invocation // command and flags, for `runner rerun`
	config["started"] = time.Now().UTC().Format(time.RFC3339)
	config["versions"] = launch.Versions() // rlcurate, go, beam, go-astiav, ffmpeg: as `runner version`
	job = transforms.Job{Name: name, Version: launch.Version(), Prefix: prefix, Config: config, MaxLineBytes: maxLineBytes, Input: input}
	if input == "" {
		return job, 0, nil
	}
	if inputBytes, err = transforms.InputSize(ctx, input); err != nil {
		return job, 0, err
	}
	ins, err := launch.DescribeInputs(ctx, input) // paths, sizes and hashes for the report
	if err != nil {
		return job, 0, err
	}
	config["inputs"] = ins
	if *limit > 0 {
		job.Limit = *limit
		if job.Cuts, err = transforms.CutInput(ctx, input, *limit, maxLineBytes); err != nil {
			return job, 0, err
		}
		inputBytes = 0
		for _, c := range job.Cuts {
			inputBytes += c.Bytes
		}
	}
	return job, inputBytes, nil
}

// setUpRunner applies the runner's display flags: log level, progress, prism's UI.
func setUpRunner(ctx context.Context) error {
	if *verbose {
		launch.RunnerLogLevel = slog.LevelInfo
	}
	if lv := os.Getenv("RLCURATE_RUNNER_LOG"); lv != "" { // e.g. debug: prism's own scheduling lines
		if err := launch.RunnerLogLevel.UnmarshalText([]byte(lv)); err != nil {
			return fmt.Errorf("RLCURATE_RUNNER_LOG=%s: want debug, info, warn or error", lv)
		}
	}
	launch.Quiet = *quiet
	if d, err := time.ParseDuration(os.Getenv("RLCURATE_PROGRESS_INTERVAL")); err == nil && d > 0 {
		launch.ProgressInterval = d // how often plain progress lines are printed (tests, CI logs)
	}
	if *uiPort > 0 {
		return launch.ServeUI(ctx, *uiPort, os.Stderr)
	}
	return nil
}

// absPath makes a local path absolute, so that a worker started elsewhere (an external
// worker pool) finds it; gs:// paths, postgres:// URLs and "" are returned as they are.
func absPath(p string) string {
	if p == "" || blob.IsGCS(p) || isDatabase(p) {
		return p
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}
