package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
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
	readTimeout               time.Duration
	maxBody, maxBodyInFlight  int
	authTokenFile             string
	insecureNoAuth            bool
	stripThinking             bool
}

func serveCmd(fs *flag.FlagSet) func(context.Context) error {
	var o serveOptions
	f := flags{fs}
	f.String(&o.listen, "listen", "127.0.0.1:8000", "address to listen on (host:port; port 0 picks a free one, printed at start)")
	f.String(&o.schedule, "schedule", "", "reference schedule state for writing rewards: a local JSON file, gs://bucket/object or postgres:// URL, shared by replicas")
	f.String(&o.samples, "samples", "", "writing select data rows (PREFIX/data, a folder, glob or gs://): the references of each sample")
	o.judge = judgeFlags(f)
	stripThinkingFlag(f, &o.stripThinking)
	f.String(&o.order, "order", "policy-second", "policy-second (as released), policy-first or both (swap and combine)")
	f.String(&o.rewards, "rewards", "paper", "paper (1/0.5/0) or released (1.1/0.55/0.1)")
	f.Duration(&o.timeout, "timeout", 170*time.Second, "timeout of one reward request (OpenRLHF's client waits 180 s)")
	f.Duration(&o.drain, "drain", 30*time.Second, "on SIGTERM, how long to let in-flight requests finish before closing their connections")
	f.Int(&o.maxInFlight, "max-in-flight", 0, "reward requests handled at once (0: 4 per CPU)")
	f.Duration(&o.readTimeout, "read-timeout", 60*time.Second, "time allowed to receive one request body (408 after it)")
	f.Int(&o.maxBody, "max-body-bytes", 64<<20, "largest request body (413 over it, refused before reading when declared)")
	f.Int(&o.maxBodyInFlight, "max-body-bytes-in-flight", 512<<20, "request body bytes held at once across all requests (503 with Retry-After over it)")
	f.String(&o.authTokenFile, "auth-token-file", "", "file holding the bearer token every endpoint but /healthz requires (default: $"+serveTokenEnv+")")
	f.Bool(&o.insecureNoAuth, "insecure-no-auth", false, "allow listening on a non-loopback address without a token (unsafe: anyone who reaches the port can move the schedule)")
	return func(ctx context.Context) error { return runServe(ctx, o) }
}

// serveTokenEnv names the environment variable that holds serve's bearer token.
const serveTokenEnv = "RLCURATE_SERVE_TOKEN"

// serveToken returns the bearer token: the content of --auth-token-file (trimmed), else
// $RLCURATE_SERVE_TOKEN, else "" (no authentication).
func serveToken(o serveOptions) (string, error) {
	if o.authTokenFile == "" {
		return strings.TrimSpace(os.Getenv(serveTokenEnv)), nil
	}
	b, err := os.ReadFile(o.authTokenFile)
	if err != nil {
		return "", fmt.Errorf("--auth-token-file: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("--auth-token-file %s is empty", o.authTokenFile)
	}
	return tok, nil
}

// checkListen refuses a non-loopback listen address without a token, unless
// --insecure-no-auth: the service mutates the shared schedule.
func checkListen(o serveOptions, token string) error {
	addr, err := net.ResolveTCPAddr("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", o.listen, err)
	}
	if token != "" || o.insecureNoAuth || addr.IP != nil && addr.IP.IsLoopback() {
		return nil
	}
	return fmt.Errorf("refusing to listen on non-loopback address %s without authentication: set %s or --auth-token-file, or pass --insecure-no-auth", o.listen, serveTokenEnv)
}

func runServe(ctx context.Context, o serveOptions) error {
	token, err := serveToken(o)
	if err != nil {
		return err
	}
	if err := checkListen(o, token); err != nil {
		return err
	}
	cfg := serve.Config{Timeout: o.timeout, MaxInFlight: o.maxInFlight, ReadTimeout: o.readTimeout,
		MaxBodyBytes: int64(o.maxBody), MaxBodyBytesInFlight: int64(o.maxBodyInFlight), AuthToken: token}
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
		closeStore, err := writingRewards(ctx, o, &cfg)
		if err != nil {
			return err
		}
		defer closeStore()
	}
	srv, err := serve.New(cfg)
	if err != nil {
		return err
	}
	// The bodies in flight bound the live memory; a soft memory limit over them makes
	// the collector return the garbage of decoded bodies before the heap doubles
	// (GOMEMLIMIT, when set, wins).
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(o.maxBodyInFlight) + 256<<20)
	}
	l, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", o.listen, err)
	}
	// The body deadline is per request (--read-timeout, set by the handler once the
	// headers are in), so that it does not also bound the judging that follows.
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	fmt.Fprintf(os.Stderr, "runner serve: listening on http://%s (writing rewards: %v, authentication: %v)\n", l.Addr(), cfg.Judge != nil, token != "")
	if err := serveUntilSignal(ctx, hs, l, o.drain); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "runner serve: stopped")
	return nil
}

// writingRewards sets up the writing branch of cfg: the judge (after its preflight), the
// samples and the schedule store. The returned function closes the store.
func writingRewards(ctx context.Context, o serveOptions, cfg *serve.Config) (func(), error) {
	jc, err := o.judge.config(ctx)
	if err != nil {
		return nil, err
	}
	if err := judge.Preflight(ctx, jc); err != nil {
		return nil, err
	}
	jc.PairwiseVerdict, jc.KeepThinking = true, !o.stripThinking
	cfg.KeepThinking = jc.KeepThinking
	if cfg.Judge, err = judge.New(jc); err != nil {
		return nil, err
	}
	cfg.JudgeWorkers = jc.Concurrency
	if cfg.Samples, err = serve.LoadSamples(ctx, absPath(o.samples)); err != nil {
		return nil, err
	}
	if blob.IsGCS(o.schedule) {
		if err := blob.CheckBucket(ctx, o.schedule); err != nil {
			return nil, err
		}
		cfg.MinUpdateInterval = time.Second // Cloud Storage takes about one write per second to one object
	}
	st, closeStore, err := store.Open(ctx, absPath(o.schedule))
	if err != nil {
		return nil, err
	}
	cfg.Store = st
	return closeStore, nil
}

// serveUntilSignal serves on l until the server fails or ctx ends (SIGTERM/SIGINT); then it
// stops accepting and lets in-flight requests finish for at most drain (each one's
// schedule update is already persisted when it answers) before closing the rest.
func serveUntilSignal(ctx context.Context, hs *http.Server, l net.Listener, drain time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- hs.Serve(l) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(os.Stderr, "runner serve: shutting down, finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		// The bound is reached: close what is left. A request cut here applied nothing
		// to the schedule (its update is atomic and done before it answers).
		hs.Close()
		fmt.Fprintf(os.Stderr, "runner serve: --drain %v reached, closed the remaining connections\n", drain)
	}
	return nil
}
