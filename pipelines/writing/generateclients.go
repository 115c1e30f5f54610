package writing

import (
	"context"
	"fmt"
	"sync"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/judge"
)

// sharedClient is one model's judge.Client per process, shared by every generateFn
// instance; usage is handed out once (unreported), as sharedJudge does for the judge.
type sharedClient struct {
	*judge.Client
	model    string
	mu       sync.Mutex
	reported judge.Stats
}

var (
	genMu      sync.Mutex
	genClients = map[string]*sharedClient{}
	genBudgets = map[string]*judge.Budget{}
)

// openClient returns the process's client of model m for the run o describes (its RunID
// is part of the key, so each run counts its own usage), building it on first use with
// the cache of o.Cache (created and checked writable when local).
func openClient(o GenerateOptions, m GenerateModel, apiKey string) (*sharedClient, error) {
	cfg := o.clientConfig(m, apiKey)
	id := o.key() + "|" + m.Name + "|" + m.BaseURL
	genMu.Lock()
	defer genMu.Unlock()
	if c, ok := genClients[id]; ok {
		return c, nil
	}
	if o.Cache != "" {
		if !blob.IsGCS(o.Cache) {
			if err := blob.CheckWritable(context.Background(), o.Cache); err != nil {
				return nil, fmt.Errorf("generate cache: %w", err)
			}
		}
		cfg.Cache = judge.NewCache(o.Cache)
	}
	c, err := judge.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", m.Name, err)
	}
	s := &sharedClient{Client: c, model: m.Name}
	genClients[id] = s
	return s, nil
}

// openBudget returns the process's budget of the run o describes (nil: no limit).
func openBudget(o GenerateOptions) *judge.Budget {
	genMu.Lock()
	defer genMu.Unlock()
	if b, ok := genBudgets[o.RunID]; ok {
		return b
	}
	b := judge.NewBudget(o.MaxCostUSD)
	genBudgets[o.RunID] = b
	return b
}

// unreported returns the usage since the previous call.
func (s *sharedClient) unreported() judge.Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Stats()
	d := now.Sub(s.reported)
	s.reported = now
	return d
}
