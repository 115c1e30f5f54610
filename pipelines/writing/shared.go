package writing

import (
	"sync"

	"github.com/rlcurate/rlcurate/internal/judge"
)

// sharedJudge is one judge per process and config, shared by every DoFn instance so that
// the client's concurrency limit, budgets and in-flight deduplication cover the whole
// worker. Usage is handed out once: each unreported call returns what no earlier call
// returned, so the deltas emitted by bundles add up to the process's total.
type sharedJudge struct {
	judge.Metered
	mu       sync.Mutex
	reported judge.Stats
}

var (
	judgesMu sync.Mutex
	judges   = map[string]*sharedJudge{}
)

// openJudge returns the process's judge for c, building it on first use.
func openJudge(c judge.Config) (*sharedJudge, error) {
	judgesMu.Lock()
	defer judgesMu.Unlock()
	if j, ok := judges[c.Key()]; ok {
		return j, nil
	}
	j, err := judge.New(c)
	if err != nil {
		return nil, err
	}
	s := &sharedJudge{Metered: j}
	judges[c.Key()] = s
	return s, nil
}

// unreported returns the usage since the previous call.
func (s *sharedJudge) unreported() judge.Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Stats()
	d := now.Sub(s.reported)
	s.reported = now
	return d
}
