package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/serve"
	"github.com/rlcurate/rlcurate/internal/store"
	"github.com/rlcurate/rlcurate/rewards"
)

func init() {
	register(command{path: "serve", summary: "serve rewards over HTTP (OpenRLHF /get_reward): MUSEG, and writing with a judge and a shared schedule", setup: serveCmd})
}

// serveOptions are runner serve's flags; the judge, --order and --rewards are the same
// flags, with the same meaning, as in writing label.
type serveOptions struct {
	listen, schedule, samples string
	judge                     *judgeFlagValues
	order, rewards            string
	timeout, drain            time.Duration
	maxInFlight               int
}

func serveCmd(fs *flag.FlagSet) func(context.Context) error {
	var o serveOptions
	f := flags{fs}
	f.String(&o.listen, "listen", "127.0.0.1:8000", "address to listen on (host:port; port 0 picks a free one, printed at start)")
	f.String(&o.schedule, "schedule", "", "reference schedule state for writing rewards: a local JSON file or gs://bucket/object, shared by replicas")
	f.String(&o.samples, "samples", "", "writing select data rows (PREFIX/data, a folder, glob or gs://): the references of each sample")
	o.judge = judgeFlags(f)
	f.String(&o.order, "order", "policy-second", "policy-second (as released), policy-first or both (swap and combine)")
	f.String(&o.rewards, "rewards", "paper", "paper (1/0.5/0) or released (1.1/0.55/0.1)")
	f.Duration(&o.timeout, "timeout", 170*time.Second, "timeout of one reward request (OpenRLHF's client waits 180 s)")
	f.Duration(&o.drain, "drain", 180*time.Second, "on SIGTERM, how long to let in-flight requests finish")
	f.Int(&o.maxInFlight, "max-in-flight", 0, "reward requests handled at once (0: 4 per CPU)")
	return func(ctx context.Context) error { return runServe(ctx, o) }
}

func runServe(ctx context.Context, o serveOptions) error {
	cfg := serve.Config{Timeout: o.timeout, MaxInFlight: o.maxInFlight}
	var err error
	if cfg.Strategy, err = rewards.ParseStrategy(o.order); err != nil {
		return err
	}
	if cfg.Rewards, err = rewards.ParsePairwiseRewards(o.rewards); err != nil {
		return err
	}
	if (o.samples == "") != (o.schedule == "") {
		return errors.New("writing rewards need both --samples and --schedule (and a judge: --judge-base-url/--judge-model, or the offline heuristic by default)")
	}
	if o.samples != "" {
		jc, err := o.judge.config(ctx)
		if err != nil {
			return err
		}
		if err := judge.Preflight(ctx, jc); err != nil {
			return err
		}
		jc.PairwiseVerdict = true
		if cfg.Judge, err = judge.New(jc); err != nil {
			return err
		}
		cfg.JudgeWorkers = jc.Concurrency
		if cfg.Samples, err = serve.LoadSamples(ctx, absPath(o.samples)); err != nil {
			return err
		}
		if blob.IsGCS(o.schedule) {
			if err := blob.CheckBucket(ctx, o.schedule); err != nil {
				return err
			}
		}
		st, closeStore, err := store.Open(ctx, absPath(o.schedule))
		if err != nil {
			return err
		}
		defer closeStore()
		cfg.Store = st
	}
	srv, err := serve.New(cfg)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", o.listen, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 30 * time.Second}
	fmt.Fprintf(os.Stderr, "runner serve: listening on http://%s (writing rewards: %v)\n", l.Addr(), cfg.Judge != nil)
	done := make(chan error, 1)
	go func() { done <- hs.Serve(l) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	// SIGTERM/SIGINT: stop accepting, let in-flight requests finish (each one's schedule
	// update is already persisted when it answers), then exit.
	fmt.Fprintln(os.Stderr, "runner serve: shutting down, finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), o.drain)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	fmt.Fprintln(os.Stderr, "runner serve: stopped")
	return nil
}
