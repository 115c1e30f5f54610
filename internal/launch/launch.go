// Package launch runs an rlcurate job: it checks the output up front, runs the pipeline
// on the runner chosen by Beam's flags (prism in process by default), prints progress
// while it runs and a summary from the manifest when it ends.
package launch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/progress"
)

// ProgressInterval is how often the progress line is printed while a job runs when
// stderr is not a terminal; on a terminal it is updated in place every TerminalInterval.
var (
	ProgressInterval = 10 * time.Second
	TerminalInterval = time.Second
)

// Quiet silences the progress line (--quiet).
var Quiet bool

// RunnerLogLevel is the least level of the embedded runner's own log lines (prism logs
// through the default slog logger) that reach stderr. Warnings and errors still show;
// set it to slog.LevelInfo to see every job state change.
var RunnerLogLevel = slog.LevelWarn

// Version returns rlcurate's version: the VCS revision the binary was built from, or
// "dev".
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return rev
}

// FFmpegVersion, set by the binary that links FFmpeg (media.FFmpegVersion), gives the
// FFmpeg version for Versions; launch itself does not link FFmpeg.
var FFmpegVersion func() string

// Versions returns the versions a binary reports (`runner version`) and every manifest
// records (its config's "versions"): rlcurate (the main module's version and VCS
// revision), go, beam (the Beam Go SDK), go-astiav and ffmpeg. Unknown ones are "unknown".
func Versions() map[string]string {
	v := map[string]string{"rlcurate": Version(), "go": runtime.Version(), "beam": "unknown", "go-astiav": "unknown", "ffmpeg": "unknown"}
	if FFmpegVersion != nil {
		v["ffmpeg"] = FFmpegVersion()
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if mv := info.Main.Version; mv != "" && mv != "(devel)" {
		v["rlcurate"] = mv // a pseudo-version names the revision itself
		if rev := strings.TrimSuffix(Version(), "+dirty"); rev != "dev" && !strings.Contains(mv, rev) {
			v["rlcurate"] += " (" + Version() + ")"
		}
	}
	for _, d := range info.Deps {
		ver := d.Version
		if d.Replace != nil && d.Replace.Version != "" {
			ver = d.Replace.Version
		}
		switch {
		case d.Path == "github.com/apache/beam/sdks/v2" || strings.HasPrefix(d.Path, "github.com/apache/beam/sdks/v2/"):
			v["beam"] = ver
		case d.Path == "github.com/asticode/go-astiav":
			v["go-astiav"] = ver
		}
	}
	return v
}

// CheckOutput fails fast when prefix cannot take the job's output; see blob.CheckWritable.
func CheckOutput(ctx context.Context, prefix string) error {
	return blob.CheckWritable(ctx, prefix)
}

// Run runs p, printing progress to log every ProgressInterval, then reads the manifest
// the job wrote under prefix, prints its summary to log and returns it. totals gives the
// expected size of progress stages where it is known (for an ETA).
func Run(ctx context.Context, p *beam.Pipeline, prefix string, totals map[string]int64, log io.Writer) (layout.Manifest, error) {
	MarkStarted()
	slog.SetDefault(slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: RunnerLogLevel})))
	progress.Reset()
	for stage, n := range totals {
		progress.SetTotal(stage, n)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		if Quiet {
			return
		}
		interval, inPlace := ProgressInterval, false
		if f, ok := log.(*os.File); ok && IsTerminal(f) {
			interval, inPlace = TerminalInterval, true
		}
		progress.Report(log, interval, stop, inPlace)
	}()
	start := time.Now()
	err := beamx.Run(ctx, p)
	close(stop)
	<-done
	if err != nil {
		return layout.Manifest{}, fmt.Errorf("job failed after %s: %w", time.Since(start).Round(time.Millisecond), err)
	}
	m, err := ReadManifest(ctx, prefix)
	if err != nil {
		return m, err
	}
	fmt.Fprint(log, Summary(m, time.Since(start)))
	return m, nil
}

// ReadManifestFile reads a manifest given as its file (…/manifest.json) or as its
// job's output prefix.
func ReadManifestFile(ctx context.Context, p string) (layout.Manifest, error) {
	if strings.HasSuffix(p, "manifest.json") {
		p = strings.TrimSuffix(strings.TrimSuffix(p, "manifest.json"), "/")
	}
	m, err := ReadManifest(ctx, p)
	if err != nil {
		return m, fmt.Errorf("read %s: %w", blob.Join(p, "manifest.json"), errors.Unwrap(err))
	}
	return m, nil
}

// ReadManifest reads PREFIX/manifest.json.
func ReadManifest(ctx context.Context, prefix string) (layout.Manifest, error) {
	var m layout.Manifest
	b, err := blob.ReadFile(ctx, blob.Join(prefix, "manifest.json"))
	if err != nil {
		return m, fmt.Errorf("job ended without a manifest: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("manifest %s: %w", prefix, err)
	}
	return m, nil
}

// Summary renders the final table of a job: its counts, then one line per output.
func Summary(m layout.Manifest, took time.Duration) string {
	s := fmt.Sprintf("\n%s finished in %s\n", m.Job, took.Round(time.Millisecond))
	fixed := []string{layout.CountRead, layout.CountWritten, layout.CountFiltered, layout.CountDeadLettered}
	for _, k := range fixed {
		s += fmt.Sprintf("  %-36s %10d\n", k, m.Counts[k])
	}
	var others []string
	for k := range m.Counts {
		if k != fixed[0] && k != fixed[1] && k != fixed[2] && k != fixed[3] {
			others = append(others, k)
		}
	}
	sort.Strings(others)
	for _, k := range others {
		s += fmt.Sprintf("  %-36s %10d\n", k, m.Counts[k])
	}
	rows := map[string]int64{}
	files := map[string]int{}
	var outputs []string
	for _, sh := range m.Shards {
		if files[sh.Output] == 0 {
			outputs = append(outputs, sh.Output)
		}
		rows[sh.Output] += sh.Rows
		files[sh.Output]++
	}
	s += "  outputs:\n"
	for _, o := range outputs {
		s += fmt.Sprintf("    %-34s %10d rows in %d files\n", o+"/", rows[o], files[o])
	}
	return s
}
