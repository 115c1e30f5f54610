package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/rlcurate/rlcurate/rewards"
)

func init() {
	register(command{path: "rewards museg", summary: "score MUSEG rollouts from stdin to stdout (JSONL), for trainers' subprocesses", setup: rewardsMuseg})
}

func rewardsMuseg(fs *flag.FlagSet) func(context.Context) error {
	var phase int
	var mode string
	f := flags{fs}
	f.Int(&phase, "phase", 1, "MUSEG training phase: 1 or 2")
	f.String(&mode, "mode", "compat", "compat or strict")
	f.MaxLineBytes()
	return func(ctx context.Context) error {
		plan, err := rewards.PlanFor(phase)
		if err != nil {
			return err
		}
		m, err := rewards.ParseMode(mode)
		if err != nil {
			return err
		}
		if maxLineBytes <= 0 {
			return fmt.Errorf("--max-line-bytes %d: want a positive number of bytes", maxLineBytes)
		}
		// Rows are answered one by one, flushed whenever no further row is waiting; a row
		// over --max-line-bytes is answered with an error row, not held.
		stats, err := rewards.ScoreStreamMax(os.Stdin, os.Stdout, plan, m, maxLineBytes)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "rewards museg: %+v\n", stats)
		return nil
	}
}
