package main

import (
	"flag"
	"time"

	"github.com/rlcurate/rlcurate/transforms"
)

// flags registers a command's flags on a FlagSet and remembers their names for its usage
// text. One flag has one meaning, under the same name, in every command.
type flags struct{ fs *flag.FlagSet }

func (f flags) String(p *string, name, value, usage string) {
	ownFlags[name] = true
	f.fs.StringVar(p, name, value, usage)
}

func (f flags) Int(p *int, name string, value int, usage string) {
	ownFlags[name] = true
	f.fs.IntVar(p, name, value, usage)
}

func (f flags) Float(p *float64, name string, value float64, usage string) {
	ownFlags[name] = true
	f.fs.Float64Var(p, name, value, usage)
}

func (f flags) Bool(p *bool, name string, value bool, usage string) {
	ownFlags[name] = true
	f.fs.BoolVar(p, name, value, usage)
}

func (f flags) Duration(p *time.Duration, name string, value time.Duration, usage string) {
	ownFlags[name] = true
	f.fs.DurationVar(p, name, value, usage)
}

// requiredFlags are the flags the current command cannot run without; its usage text
// marks them "(required)".
var requiredFlags = map[string]bool{}

// Required marks flags already registered as ones the command cannot run without.
func (f flags) Required(names ...string) {
	for _, n := range names {
		if f.fs.Lookup(n) == nil {
			panic("runner: Required of unregistered flag --" + n) // a programming error
		}
		requiredFlags[n] = true
	}
}

// maxLineBytes is --max-line-bytes of the command that runs: runJob hands it to the job
// (transforms.Job.MaxLineBytes), rewards museg to its stream.
var maxLineBytes = transforms.MaxLineBytes

// MaxLineBytes registers --max-line-bytes, on every command that reads input lines.
func (f flags) MaxLineBytes() {
	f.Int(&maxLineBytes, "max-line-bytes", transforms.MaxLineBytes,
		"longest input line in bytes; a longer line is skipped without being held in memory: jobs dead-letter it (reason line_too_long, with its file and line), rewards museg answers it with an error row")
}

// Shards registers --shards, the same on every job: the number of shards of each output,
// 0 (the default) choosing it from the output's size (about 256 MiB or 1M rows a shard,
// transforms.AutoShardBytes and AutoShardRows).
func (f flags) Shards(p *int) {
	f.Int(p, "shards", 0, "number of shards of each output (0: automatic, about 256 MiB or 1M rows a shard)")
}
