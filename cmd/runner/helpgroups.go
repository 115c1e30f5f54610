package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// flagGroup is a heading of a command's help and the rule that puts a flag under it.
type flagGroup struct {
	title string
	has   func(name string) bool
}

// named returns a rule that holds for the given flag names.
func named(names ...string) func(string) bool {
	return func(name string) bool {
		for _, n := range names {
			if n == name {
				return true
			}
		}
		return false
	}
}

// flagGroups are the headings of a command's help, in order; a flag goes under the first
// group whose rule holds, the rest under "Options".
var flagGroups = []flagGroup{
	{"Input", named("input", "input-format", "samples", "rollouts", "annotations", "videos", "format",
		"source", "schedule", "from", "sample", "limit", "config", "max-line-bytes", "charades-ext", "keep-dataset-answer")},
	{"Output", named("output", "output-format", "shards", "frame-root", "frame-format", "jpeg-quality", "to", "force",
		"max-dead-letter-fraction")},
	{"Judge", func(n string) bool { return strings.HasPrefix(n, "judge") }},
	{"Models", named("base-url", "policy-model", "reference-models", "max-tokens", "temperature", "strip-thinking",
		"price", "max-cost-usd", "cache", "max-attempts", "timeout")},
	{"Performance", named("concurrency", "rpm", "decode-threads", "reuse-frames", "max-in-flight", "max-body-bytes",
		"max-body-bytes-in-flight", "read-timeout", "drain", "cpuprofile")},
	{"Options", func(string) bool { return true }},
}

// beamFlagsHelp lists the Beam and runner flags every Beam job accepts, after its own.
const beamFlagsHelp = `Beam and runner (Beam's own flags all pass through):
  --runner	prism (default: embedded, in this process) or dataflow
  --project, --region, --temp_location, --staging_location	Dataflow's job settings
  --worker_binary	the static Linux worker (make worker); required with --runner dataflow
  --dry_run	with --runner dataflow: check flags, paths, bucket and worker, print the plan, start nothing
  --limit	read only the first N records of the main input, for a quick try
  --config	a YAML or JSON file of flag values (command-line flags win); see also runner rerun
  --quiet	no progress line on stderr
  --verbose	the embedded runner's informational log lines too
  --ui	serve prism's web UI on this local port while the job runs
`

// printGroupedFlags prints the command's own flags under their group headings, each with
// "(required)" or its default when that says something (not "", 0 or false).
func printGroupedFlags(w io.Writer, fs *flag.FlagSet, beamJob bool) {
	byGroup := make([][]*flag.Flag, len(flagGroups))
	fs.VisitAll(func(f *flag.Flag) {
		if !ownFlags[f.Name] {
			return
		}
		for i, g := range flagGroups {
			if g.has(f.Name) {
				byGroup[i] = append(byGroup[i], f)
				break
			}
		}
	})
	for i, fl := range byGroup {
		if len(fl) == 0 {
			continue
		}
		fmt.Fprintf(w, "%s:\n", flagGroups[i].title)
		for _, f := range fl {
			fmt.Fprintf(w, "  --%s\t%s%s\n", f.Name, f.Usage, flagNote(f))
		}
		fmt.Fprintln(w)
	}
	if beamJob {
		fmt.Fprint(w, beamFlagsHelp+"\n")
	}
}

// flagNote is what follows a flag's usage: " (required)", its default, or nothing for a
// zero default.
func flagNote(f *flag.Flag) string {
	switch {
	case requiredFlags[f.Name]:
		return " (required)"
	case f.DefValue == "" || f.DefValue == "0" || f.DefValue == "false" || f.DefValue == "0s":
		return ""
	case isString(f):
		return fmt.Sprintf(" (default %q)", f.DefValue)
	default:
		return fmt.Sprintf(" (default %s)", f.DefValue)
	}
}
