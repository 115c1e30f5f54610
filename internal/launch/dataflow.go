package launch

import (
	"context"
	"debug/elf"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/rlcurate/rlcurate/internal/blob"
)

// flagValue is the value of a registered flag, or "" when no such flag exists.
func flagValue(name string) string {
	if f := flag.Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}

// IsDataflow reports whether the job goes to Google Cloud Dataflow (--runner dataflow).
func IsDataflow() bool { return strings.EqualFold(flagValue("runner"), "dataflow") }

// DryRun reports whether Dataflow's --dry_run is set: check and plan, start nothing.
func DryRun() bool { return flagValue("dry_run") == "true" }

// CheckDataflow refuses, before anything is built or compiled, a Dataflow job that
// could not run: paths (flag name to value, several values comma-separated) that are
// not gs:// (workers cannot read this machine's files; postgres:// is accepted for
// --schedule), missing --project, --region or gs:// --staging_location, and a missing,
// non-Linux or dynamically linked --worker_binary (Beam would cross-compile one without
// cgo, which cannot run rlcurate's media code), and a staging bucket that does not
// exist or does not answer (blob.CheckBucket).
func CheckDataflow(paths map[string]string) error {
	for name, value := range paths {
		for _, p := range strings.Split(value, ",") {
			p = strings.TrimSpace(p)
			if _, path, ok := strings.Cut(p, "="); ok && name == "source" {
				p = path // NAME=PATHS:WEIGHT
			}
			if p == "" || blob.IsGCS(p) || (name == "schedule" && strings.Contains(p, "://") && !strings.HasPrefix(p, "file:")) {
				continue
			}
			return fmt.Errorf("--%s %s: with --runner dataflow every path must be gs:// (workers cannot read this machine's files)", name, p)
		}
	}
	for _, name := range []string{"project", "region"} {
		if flagValue(name) == "" {
			return fmt.Errorf("--runner dataflow needs --%s", name)
		}
	}
	s := flagValue("staging_location")
	if !blob.IsGCS(s) {
		return fmt.Errorf("--runner dataflow needs --staging_location gs://BUCKET/PATH (got %q)", s)
	}
	if err := CheckWorkerBinary(flagValue("worker_binary")); err != nil {
		return err
	}
	if err := blob.CheckBucket(context.Background(), s); err != nil {
		return fmt.Errorf("--staging_location: %w", err)
	}
	return nil
}

// staticLibs are the only shared libraries a Dataflow worker binary may need: the C
// library every Linux image has (FFmpeg must be linked in statically).
var staticLibs = map[string]bool{"libc.so.6": true, "libm.so.6": true, "libpthread.so.0": true,
	"libdl.so.2": true, "librt.so.1": true, "ld-linux-x86-64.so.2": true}

// CheckWorkerBinary checks that p is a Linux amd64 executable that needs no shared
// library beyond libc and libm (make worker builds one).
func CheckWorkerBinary(p string) error {
	if p == "" {
		return fmt.Errorf("--runner dataflow needs --worker_binary: build it with `make worker` and pass --worker_binary bin/worker (Beam's own worker build disables cgo and cannot build rlcurate)")
	}
	f, err := elf.Open(p)
	if err != nil {
		return fmt.Errorf("--worker_binary %s: not a Linux executable: %w", p, err)
	}
	defer f.Close()
	if f.Machine != elf.EM_X86_64 || f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
		return fmt.Errorf("--worker_binary %s: want a linux/amd64 executable, got %s %s", p, f.Machine, f.Type)
	}
	libs, err := f.ImportedLibraries()
	if err != nil {
		return fmt.Errorf("--worker_binary %s: %w", p, err)
	}
	for _, l := range libs {
		if !staticLibs[l] {
			return fmt.Errorf("--worker_binary %s needs the shared library %s, which Dataflow's workers do not have: build it with `make worker`", p, l)
		}
	}
	return nil
}

// PrintPlan writes what a Dataflow dry run would start: the job's stages (top-level
// transforms), the workers and the output layout under prefix.
func PrintPlan(w io.Writer, p *beam.Pipeline, name, prefix string, outputs []string) error {
	edges, _, err := p.Build()
	if err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	var stages []string
	seen := map[string]bool{}
	for _, e := range edges {
		label := topScope(e.Scope().String())
		if label != "" && !seen[label] {
			seen[label] = true
			stages = append(stages, label)
		}
	}
	fmt.Fprintf(w, "dry run: %s on Dataflow (project %s, region %s); nothing was started.\n", name, flagValue("project"), flagValue("region"))
	fmt.Fprintf(w, "stages (%d transforms): %s\n", len(edges), strings.Join(stages, ", "))
	fmt.Fprintf(w, "workers: %s\n", workersPlan())
	fmt.Fprintf(w, "worker binary: %s\n", flagValue("worker_binary"))
	fmt.Fprintln(w, "output:")
	for _, o := range outputs {
		fmt.Fprintf(w, "  %s/\n", blob.Join(prefix, o))
	}
	fmt.Fprintf(w, "  %s (written last: the run's shards, counts and config)\n", blob.Join(prefix, "manifest.json"))
	return nil
}

// topScope is the first part of a transform's scope path, "" for the root.
func topScope(scope string) string {
	scope = strings.TrimPrefix(scope, "root")
	scope = strings.TrimPrefix(scope, "/")
	first, _, _ := strings.Cut(scope, "/")
	return first
}

// workersPlan describes the workers Dataflow will use from its flags.
func workersPlan() string {
	n, most := flagValue("num_workers"), flagValue("max_num_workers")
	machine := flagValue("worker_machine_type")
	if machine == "" {
		machine = "Dataflow's default machine type"
	}
	switch {
	case n != "" && n != "0" && most != "" && most != "0":
		return fmt.Sprintf("%s to %s (autoscaling), %s", n, most, machine)
	case most != "" && most != "0":
		return fmt.Sprintf("up to %s (autoscaling), %s", most, machine)
	case n != "" && n != "0":
		return fmt.Sprintf("%s to start, autoscaling, %s", n, machine)
	default:
		return "chosen by Dataflow's autoscaling (set --num_workers / --max_num_workers), " + machine
	}
}
