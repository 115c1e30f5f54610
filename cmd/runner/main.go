// Command runner launches rlcurate's jobs:
//
//	runner video score   --input ROLLOUTS --output PREFIX --phase 1|2 --mode compat|strict
//	runner rewards museg --phase 1|2 --mode compat|strict < rollouts.jsonl > scores.jsonl
//
// Beam's own flags pass through (--runner, --project, --region, --staging_location,
// --worker_binary, --sdk_container_image, --endpoint, --environment_type, ...). The
// default runner is prism, embedded in this process. Run `runner help` for the list of
// commands, `runner GROUP` (e.g. `runner writing`) for a group's, `runner COMMAND -h` for
// a command's flags and `runner version` for the versions of rlcurate, Go, the Beam SDK,
// go-astiav and FFmpeg.
//
// The same binary is the Beam worker: started with --worker (by Beam's boot program on
// Dataflow or in an external worker pool) it runs the SDK harness instead.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/rlcurate/rlcurate/internal/launch"
)

// command is one subcommand: its path ("video score"), a line of help, and a function that
// registers its flags and returns the function that runs it.
type command struct {
	path    string
	summary string
	setup   func(fs *flag.FlagSet) func(ctx context.Context) error
}

var commands []command

func register(c command) { commands = append(commands, c) }

func main() {
	if isWorker(os.Args[1:]) {
		flag.Parse()
		beam.Init() // runs the SDK harness and does not return
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		code := launch.ExitCode(err)
		fmt.Fprint(os.Stderr, launch.Red(os.Stderr, fmt.Sprintf("runner: %v\nexit %d: %s\n", err, code, exitMeanings[code])))
		if ctx.Err() != nil {
			fmt.Fprint(os.Stderr, resumeHint(os.Args))
		}
		os.Exit(code)
	}
}

// exitMeanings are the runner's exit codes (launch.ExitCode), as `runner help` lists them.
var exitMeanings = map[int]string{
	launch.ExitOK:          "success",
	launch.ExitUsage:       "usage or preflight error; nothing was started",
	launch.ExitFailed:      "the job failed",
	launch.ExitUnfulfilled: "the job finished and published its outputs and manifest but did not do its job (nothing written from a non-empty input, or more dead-lettered than --max-dead-letter-fraction)",
}

// isWorker reports whether the process was started as a Beam worker.
func isWorker(args []string) bool {
	for _, a := range args {
		if a == "--worker" || a == "-worker" || strings.HasPrefix(a, "--worker=") || strings.HasPrefix(a, "-worker=") {
			return true
		}
	}
	return false
}

func run(ctx context.Context, args []string) error {
	if isVersion(args) {
		printVersion(os.Stdout)
		return nil
	}
	if len(args) > 0 && args[0] == "rerun" {
		again, err := rerunArgs(ctx, args[1:])
		if err != nil {
			return err
		}
		return run(ctx, again)
	}
	c, rest := find(args)
	if c == nil {
		if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
			usage(os.Stderr)
			return flag.ErrHelp
		}
		if isGroup(args[0]) && (len(args) == 1 || args[1] == "-h" || args[1] == "--help" || args[1] == "-help" || args[1] == "help") {
			groupUsage(os.Stderr, args[0]) // `runner writing` lists its commands
			return flag.ErrHelp
		}
		return unknownCommand(args)
	}
	// Beam's flags live on flag.CommandLine; the command's own flags join them there so
	// that both parse from one argument list.
	fs := flag.CommandLine
	fs.Init("runner", flag.ContinueOnError) // a bad flag is a usage error: exit 1, not flag's 2
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: runner %s [flags]\n\n%s\n\n", c.path, c.summary)
		printGroupedFlags(fs.Output(), fs, ownFlags["shards"])
		printExamples(fs.Output(), c.path)
	}
	runFn := c.setup(fs)
	if ownFlags["shards"] { // a Beam job: runJob reads --max-dead-letter-fraction
		ownFlags["max-dead-letter-fraction"] = true
	}
	// flag prints its own message and the usage for a bad flag; keep them only for -h,
	// and report a bad flag in one line (unknownFlag).
	var parseOut bytes.Buffer
	fs.SetOutput(&parseOut)
	recordFlags(fs)
	err := fs.Parse(rest)
	fs.SetOutput(os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Stderr.Write(parseOut.Bytes())
		return err
	}
	if err != nil {
		return unknownFlag(fs, c.path, err)
	}
	if fs.NArg() > 0 {
		return launch.WithCode(launch.ExitUsage, fmt.Errorf("%s: unexpected arguments %q", c.path, fs.Args()))
	}
	if err := applyConfig(fs, c.path); err != nil {
		return err
	}
	recordInvocation(c.path)
	if ownFlags["shards"] && launch.IsDataflow() {
		if err := launch.CheckDataflow(dataflowPaths(fs)); err != nil {
			return launch.WithCode(launch.ExitUsage, fmt.Errorf("%s: %w", c.path, err))
		}
	}
	beam.Init()
	return runFn(ctx)
}

// find returns the command named by the leading words of args and the remaining args.
func find(args []string) (*command, []string) {
	for i := range commands {
		words := strings.Fields(commands[i].path)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == commands[i].path {
			return &commands[i], args[len(words):]
		}
	}
	return nil, nil
}

func usage(w *os.File) {
	fmt.Fprintln(w, "usage: runner COMMAND [flags]\n\ncommands:")
	sorted := append([]command(nil), commands...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].path < sorted[j].path })
	for _, c := range sorted {
		fmt.Fprintf(w, "  %-22s %s\n", c.path, c.summary)
	}
	fmt.Fprintf(w, "  %-22s %s\n", "version", "print the versions of rlcurate, Go, the Beam SDK, go-astiav and FFmpeg")
	fmt.Fprintf(w, "  %-22s %s\n", "rerun MANIFEST", "repeat the run a manifest.json records (flags after it override)")
	fmt.Fprintln(w, "\nrun `runner GROUP` (e.g. `runner writing`) for a group's commands, `runner COMMAND -h` for a command's flags; Beam's flags (--runner, --project, ...) pass through.")
	fmt.Fprintln(w, "\nexit codes:")
	for code := launch.ExitOK; code <= launch.ExitUnfulfilled; code++ {
		fmt.Fprintf(w, "  %d  %s\n", code, exitMeanings[code])
	}
}

// ownFlags are the names the current command registered, for its usage text.
var ownFlags = map[string]bool{}
