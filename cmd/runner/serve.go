package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"cloud.google.com/go/storage"
	"github.com/rlcurate/rlcurate/blob"
	"github.com/rlcurate/rlcurate/judge"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/schedule"
	"github.com/rlcurate/rlcurate/serve"
)

func init() {
	register(command{path: "serve", summary: "serve rewards over HTTP (OpenRLHF /get_reward): MUSEG, and writing with a judge and a shared schedule", setup: serveCmd})
}

// serveOptions are runner serve's flags. The judge flags are serve's own minimal set
// for now; they are to be replaced by the writing jobs' shared --judge-* flag set.
type serveOptions struct {
	listen, schedule, samples          string
	judgeURL, judgeModel, judgeOffline string
	judgeConcurrency, judgeAttempts    int
	judgeTimeout, timeout, drain       time.Duration
	strategy, pay                      string
	maxInFlight                        int
}

func serveCmd(fs *flag.FlagSet) func(context.Context) error {
	var o serveOptions
	f := flags{fs}
	f.String(&o.listen, "listen", "127.0.0.1:8000", "address to listen on (host:port; port 0 picks a free one, printed at start)")
	f.String(&o.schedule, "schedule", "", "reference schedule state for writing rewards: a local JSON file or gs://bucket/object, shared by replicas")
	f.String(&o.samples, "samples", "", "writing select data rows (PREFIX/data, a folder, glob or gs://): the references of each sample")
	f.String(&o.judgeURL, "judge-base-url", "", "OpenAI-compatible judge endpoint, e.g. https://api.openai.com/v1 (key from RLCURATE_JUDGE_API_KEY or OPENAI_API_KEY)")
	f.String(&o.judgeModel, "judge-model", "", "judge model name")
	f.String(&o.judgeOffline, "judge-offline", "", "\"heuristic\": use the offline text-statistics judge (demos and tests only) instead of an endpoint")
	f.Int(&o.judgeConcurrency, "judge-concurrency", judge.DefaultConcurrency, "judge calls in flight")
	f.Int(&o.judgeAttempts, "judge-max-attempts", judge.DefaultMaxAttempts, "attempts per judge call")
	f.Duration(&o.judgeTimeout, "judge-timeout", 60*time.Second, "timeout of one judge attempt")
	f.String(&o.strategy, "judge-strategy", "policy-second", "judge order: policy-second (released), policy-first or both-orders")
	f.String(&o.pay, "pairwise-rewards", "paper", "rewards per outcome: paper (1/0.5/0) or released (1.1/0.55/0.1)")
	f.Duration(&o.timeout, "timeout", 170*time.Second, "timeout of one reward request (OpenRLHF's client waits 180 s)")
	f.Duration(&o.drain, "drain", 180*time.Second, "on SIGTERM, how long to let in-flight requests finish")
	f.Int(&o.maxInFlight, "max-in-flight", 0, "reward requests handled at once (0: 4 per CPU)")
	return func(ctx context.Context) error { return runServe(ctx, o) }
}

func runServe(ctx context.Context, o serveOptions) error {
	cfg := serve.Config{Timeout: o.timeout, MaxInFlight: o.maxInFlight, JudgeWorkers: o.judgeConcurrency}
	var err error
	if cfg.Strategy, err = parseStrategy(o.strategy); err != nil {
		return err
	}
	switch o.pay {
	case "paper":
		cfg.Rewards = rewards.PaperRewards
	case "released":
		cfg.Rewards = rewards.ReleasedRewards
	default:
		return fmt.Errorf("--pairwise-rewards %q: want paper or released", o.pay)
	}
	if cfg.Judge, err = serveJudge(o); err != nil {
		return err
	}
	if o.samples != "" {
		if cfg.Samples, err = serve.LoadSamples(ctx, absPath(o.samples)); err != nil {
			return err
		}
	}
	if o.schedule != "" {
		if cfg.Store, err = scheduleStore(ctx, o.schedule); err != nil {
			return err
		}
	}
	if (cfg.Judge != nil || cfg.Samples != nil || cfg.Store != nil) && (cfg.Judge == nil || cfg.Samples == nil || cfg.Store == nil) {
		return errors.New("writing rewards need all of --judge-base-url/--judge-model (or --judge-offline), --samples and --schedule")
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

func parseStrategy(s string) (rewards.Strategy, error) {
	switch s {
	case "policy-second":
		return rewards.PolicySecond, nil
	case "policy-first":
		return rewards.PolicyFirst, nil
	case "both-orders":
		return rewards.BothOrders, nil
	}
	return 0, fmt.Errorf("--judge-strategy %q: want policy-second, policy-first or both-orders", s)
}

func serveJudge(o serveOptions) (judge.Judge, error) {
	switch {
	case o.judgeOffline == "heuristic":
		return judge.Heuristic{}, nil
	case o.judgeOffline != "":
		return nil, fmt.Errorf("--judge-offline %q: want heuristic", o.judgeOffline)
	case o.judgeURL == "" && o.judgeModel == "":
		return nil, nil
	}
	key, _ := judge.KeyFromEnv()
	return judge.NewClient(judge.Config{
		BaseURL: o.judgeURL, Model: o.judgeModel, APIKey: key,
		Concurrency: o.judgeConcurrency, MaxAttempts: o.judgeAttempts, Timeout: o.judgeTimeout,
		Cache:         &judge.MemCache{}, // a retried request re-asks nothing already answered
		PairwiseCheck: checkVerdict,
		RetryBadReply: true,
	})
}

func checkVerdict(text string) error {
	if rewards.ParseVerdict(text) == rewards.VerdictUnknown {
		return errors.New("no verdict token")
	}
	return nil
}

func scheduleStore(ctx context.Context, p string) (schedule.Store, error) {
	if !blob.IsGCS(p) {
		return &schedule.FileStore{Path: absPath(p)}, nil
	}
	bucket, object, ok := strings.Cut(strings.TrimPrefix(p, "gs://"), "/")
	if !ok || bucket == "" || object == "" {
		return nil, fmt.Errorf("--schedule %s: want gs://bucket/object", p)
	}
	if err := blob.CheckBucket(ctx, p); err != nil {
		return nil, err
	}
	client, err := storage.NewClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("--schedule %s: %w", p, err)
	}
	return &schedule.GCSStore{Client: client, Bucket: bucket, Object: object}, nil
}
