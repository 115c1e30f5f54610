package serve

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/rlcurate/rlcurate/internal/export"
	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/schedule"
	"golang.org/x/sync/semaphore"
)

// DefaultStripSuffixes are removed (repeatedly, with any whitespace after them) from the
// end of every completion: the end-of-turn and end-of-text tokens OpenRLHF leaves in a
// decoded query, which would otherwise fail MUSEG's format check.
var DefaultStripSuffixes = []string{"<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|end_of_text|>", "</s>"}

// Config configures a Server. Zero values take the defaults given.
type Config struct {
	// Judge compares writing completions with references; nil refuses writing labels.
	Judge judge.Judge
	// Samples are the writing samples by id (LoadSamples); nil refuses writing labels.
	Samples map[string]Sample
	// Store holds the shared reference schedule; nil refuses writing labels.
	Store schedule.Store
	// Rule moves the schedule (default schedule.Released).
	Rule schedule.Rule
	// Strategy orders the judge calls (default rewards.PolicySecond, as released).
	Strategy rewards.Strategy
	// Rewards are paid per outcome (default rewards.PaperRewards).
	Rewards rewards.PairwiseRewards
	// MaxInFlight bounds the requests handled at once (default 4 x GOMAXPROCS); a request
	// that waits for a slot longer than Timeout gets a 503.
	MaxInFlight int
	// JudgeWorkers bounds one request's judge calls in flight (default 16; the judge
	// client's own concurrency limit also applies).
	JudgeWorkers int
	// Timeout bounds one request (default 170 s, under OpenRLHF's 180 s client timeout).
	Timeout time.Duration
	// MaxBodyBytes bounds a request body (default 64 MiB): a larger declared length is
	// answered 413 before the body is read, a chunked body is cut off at it with 413.
	MaxBodyBytes int64
	// MaxBodyBytesInFlight bounds the memory held for the bodies of all requests being
	// read or handled (default 512 MiB; at least MaxBodyBytes). A body counts twice its
	// length (its bytes while decoded, then the decoded strings), a body of unknown length
	// as twice MaxBodyBytes, at most the whole budget. A request that would pass it waits
	// up to BodyWait, then gets 503.
	MaxBodyBytesInFlight int64
	// BodyWait is how long a request waits for room under MaxBodyBytesInFlight (default 2 s).
	BodyWait time.Duration
	// ReadTimeout bounds reading one request body, from the end of its headers
	// (default 60 s); a body not received in time is answered 408.
	ReadTimeout time.Duration
	// AuthToken, when not empty, is required on every endpoint but /healthz, as
	// "Authorization: Bearer TOKEN" or the query parameter token; 401 otherwise.
	AuthToken string
	// StripSuffixes replaces DefaultStripSuffixes when not nil (an empty slice strips nothing).
	StripSuffixes []string
	// KeepThinking sends whole writing completions to the judge, thinking included
	// (--judge-strip-thinking=false); by default the judge sees the answer after the last
	// "</think>" (judge.StripThinking).
	KeepThinking bool
	// Now gives the time of schedule moves (default time.Now).
	Now func() time.Time
	// MinUpdateInterval is the least time between two writes of the schedule (0:
	// DefaultMinUpdateInterval): the outcomes of the requests that arrive meanwhile join
	// the next write. Set it to 1 s for a gs:// schedule (Cloud Storage takes about one
	// write per second to one object).
	MinUpdateInterval time.Duration
}

// Server answers reward requests. It is safe for concurrent use.
type Server struct {
	cfg     Config
	slots   chan struct{}
	bodies  *semaphore.Weighted // body bytes in flight
	auth    bool                // a token is required
	token   [sha256.Size]byte   // its SHA-256
	plans   [3]rewards.Plan     // by phase
	metrics *metrics
	mux     *http.ServeMux
	commits *committer // groups the schedule updates of concurrent requests
}

// New returns a Server for cfg, or an error for an unusable configuration (bad rule).
func New(cfg Config) (*Server, error) {
	if cfg.Rule == (schedule.Rule{}) {
		cfg.Rule = schedule.Released
	}
	if err := cfg.Rule.Validate(); err != nil {
		return nil, err
	}
	if cfg.Rewards == (rewards.PairwiseRewards{}) {
		cfg.Rewards = rewards.PaperRewards
	}
	if cfg.Rewards.Win <= cfg.Rewards.Loss {
		return nil, errors.New("serve: pairwise rewards must pay more for a win than for a loss")
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 4 * runtime.GOMAXPROCS(0)
	}
	if cfg.JudgeWorkers <= 0 {
		cfg.JudgeWorkers = 16
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 170 * time.Second
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 64 << 20
	}
	if cfg.MaxBodyBytesInFlight <= 0 {
		cfg.MaxBodyBytesInFlight = 512 << 20
	}
	if cfg.MaxBodyBytesInFlight < cfg.MaxBodyBytes {
		return nil, fmt.Errorf("serve: body bytes in flight (%d) must be at least the body cap (%d)", cfg.MaxBodyBytesInFlight, cfg.MaxBodyBytes)
	}
	if cfg.BodyWait <= 0 {
		cfg.BodyWait = 2 * time.Second
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = 60 * time.Second
	}
	if cfg.StripSuffixes == nil {
		cfg.StripSuffixes = DefaultStripSuffixes
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, slots: make(chan struct{}, cfg.MaxInFlight), bodies: semaphore.NewWeighted(cfg.MaxBodyBytesInFlight),
		metrics: newMetrics(), mux: http.NewServeMux()}
	if cfg.Store != nil {
		if cfg.MinUpdateInterval <= 0 {
			cfg.MinUpdateInterval = DefaultMinUpdateInterval
		}
		s.commits = newCommitter(cfg.Store, cfg.MinUpdateInterval, cfg.Timeout)
	}
	if cfg.AuthToken != "" {
		s.token = sha256.Sum256([]byte(cfg.AuthToken))
		s.cfg.AuthToken = "" // only its hash is kept
	}
	s.auth = cfg.AuthToken != ""
	for phase := 1; phase <= 2; phase++ {
		p, err := rewards.PlanFor(phase)
		if err != nil {
			return nil, err
		}
		s.plans[phase] = p
	}
	s.mux.HandleFunc("POST /get_reward", s.handleReward)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	s.mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		s.metrics.write(w)
	})
	return s, nil
}

// ServeHTTP routes POST /get_reward, GET /healthz and GET /metrics. With a token
// configured, every path but /healthz answers 401 without it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.auth && r.URL.Path != "/healthz" && !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="rlcurate"`)
		w.Header().Set("Connection", "close") // its body, if any, is not read
		writeError(w, &Error{Status: http.StatusUnauthorized, Kind: "unauthorized", Reason: "missing or wrong token: send Authorization: Bearer TOKEN (or ?token=TOKEN)"})
		s.metrics.add(func(m *metrics) { m.requests[http.StatusUnauthorized]++; m.errors["unauthorized"]++ })
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) handleReward(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	s.metrics.begin()
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Timeout)
	defer cancel()
	resp, err := s.reward(ctx, w, r)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			e = unavailable("judge", "%v", err)
		}
		writeError(w, e)
		s.metrics.end(e.Status, e.Kind, time.Since(start))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
	s.metrics.end(http.StatusOK, "", time.Since(start))
}

func writeError(w http.ResponseWriter, e *Error) {
	w.Header().Set("Content-Type", "application/json")
	retryable := e.Status == http.StatusServiceUnavailable
	if retryable {
		w.Header().Set("Retry-After", "1")
	}
	w.WriteHeader(e.Status)
	json.NewEncoder(w).Encode(ErrorBody{Error: e.Reason, Retryable: retryable})
}

// item is one query to score.
type item struct {
	completion string
	label      export.Label
}

func (s *Server) reward(ctx context.Context, w http.ResponseWriter, r *http.Request) (*Response, error) {
	// The body first: a slow client holds no concurrency slot while it sends.
	req, release, err := s.readRequest(w, r)
	if err != nil {
		return nil, err
	}
	defer release()
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-ctx.Done():
		return nil, unavailable("busy", "no free slot within %v (%d requests in flight)", s.cfg.Timeout, s.cfg.MaxInFlight)
	}
	items, err := s.items(*req)
	if err != nil {
		return nil, err
	}
	resp := &Response{
		Rewards:   make([]float64, len(items)),
		Scores:    make([]float64, len(items)),
		ExtraLogs: map[string][]float64{},
	}
	var museg, writing []int
	for i, it := range items {
		if it.label.Branch == export.BranchMuseg {
			museg = append(museg, i)
		} else {
			writing = append(writing, i)
		}
	}
	// MUSEG first: it is cheap, and a bad strict-mode label then fails the request before
	// any judge call is paid for.
	if len(museg) > 0 {
		if err := s.scoreMuseg(items, museg, resp); err != nil {
			return nil, err
		}
	}
	if len(writing) > 0 {
		if err := s.scoreWriting(ctx, *req, items, writing, resp); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

// items checks a request and returns its completions and parsed labels.
func (s *Server) items(req Request) ([]item, error) {
	if len(req.Query) != len(req.Labels) {
		return nil, badRequest("%d queries but %d labels", len(req.Query), len(req.Labels))
	}
	if req.Prompts != nil && len(req.Prompts) != len(req.Query) {
		return nil, badRequest("%d queries but %d prompts", len(req.Query), len(req.Prompts))
	}
	items := make([]item, len(req.Query))
	parsed := map[string]export.Label{} // rollouts of one prompt share their label
	for i, q := range req.Query {
		l, ok := parsed[req.Labels[i]]
		if !ok {
			var err error
			if l, err = export.ParseLabel(req.Labels[i]); err != nil {
				return nil, badRequest("label %d: %v", i, err)
			}
			parsed[req.Labels[i]] = l
		}
		c := q
		if req.Prompts != nil {
			if !strings.HasPrefix(q, req.Prompts[i]) {
				return nil, badRequest("query %d does not start with its prompt", i)
			}
			c = q[len(req.Prompts[i]):]
		}
		items[i] = item{completion: stripSuffixes(c, s.cfg.StripSuffixes), label: l}
	}
	return items, nil
}

// stripSuffixes removes any of suffixes from the end of c, repeatedly, together with the
// whitespace that follows each; trailing whitespace without a suffix is kept.
func stripSuffixes(c string, suffixes []string) string {
	for {
		t := strings.TrimRight(c, " \t\r\n")
		found := false
		for _, suf := range suffixes {
			if suf != "" && strings.HasSuffix(t, suf) {
				c, found = t[:len(t)-len(suf)], true
				break
			}
		}
		if !found {
			return c
		}
	}
}
