package schedule

import (
	"errors"
	"fmt"
	"time"

	"github.com/rlcurate/rlcurate/rewards"
)

// Rule says when a sample's pointer moves.
type Rule struct {
	// Wins and Window: promote by one when at least Wins of the last Window
	// outcomes at the current pointer are strict wins (ties are not wins).
	Wins   int `json:"wins"`
	Window int `json:"window"`
	// DemoteLosses, if > 0, demotes by one when the last DemoteLosses outcomes at
	// the current pointer are all losses (never below 0; a mastered sample that
	// keeps losing to the strongest goes back to it). 0 never demotes, as released.
	DemoteLosses int `json:"demote_losses"`
}

// Released is the released rule: one strict win promotes; no demotion.
var Released = Rule{Wins: 1, Window: 1}

// ErrBadRule, ErrBadObservation are returned for unusable configuration or input.
var (
	ErrBadRule        = errors.New("bad schedule rule")
	ErrBadObservation = errors.New("bad observation")
)

// Validate checks 1 <= Wins <= Window and 0 <= DemoteLosses <= Window.
func (r Rule) Validate() error {
	if r.Wins < 1 || r.Window < r.Wins || r.DemoteLosses < 0 || r.DemoteLosses > r.Window {
		return fmt.Errorf("%w: %+v (want 1 <= wins <= window, 0 <= demote_losses <= window)", ErrBadRule, r)
	}
	return nil
}

// Observation is one judged comparison of a rollout with the sample's current reference.
type Observation struct {
	Sample string
	Rungs  int // number of references of the sample (>= 1)
	// Outcome of the policy against the reference; OutcomeUnknown is an error.
	Outcome rewards.Outcome
	Step    int
	// Validation outcomes never move the pointer.
	Validation bool
}

// Apply records obs in st under rule r and returns the move it caused, if any
// (moved false otherwise). A sample seen for the first time starts at 0.
func (r Rule) Apply(st *State, obs Observation, now time.Time) (mv Move, moved bool, err error) {
	if err := r.Validate(); err != nil {
		return Move{}, false, err
	}
	if obs.Sample == "" || obs.Rungs < 1 {
		return Move{}, false, fmt.Errorf("%w: sample %q with %d references", ErrBadObservation, obs.Sample, obs.Rungs)
	}
	if obs.Outcome != rewards.Win && obs.Outcome != rewards.Tie && obs.Outcome != rewards.Loss {
		return Move{}, false, fmt.Errorf("%w: sample %q outcome %v", ErrBadObservation, obs.Sample, obs.Outcome)
	}
	if obs.Validation {
		return Move{}, false, nil
	}
	if st.Samples == nil {
		st.Samples = map[string]*SampleState{}
	}
	s := st.Samples[obs.Sample]
	if s == nil {
		s = &SampleState{}
		st.Samples[obs.Sample] = s
	}
	s.Rungs = obs.Rungs
	s.Recent = append(s.Recent, obs.Outcome.String())
	if len(s.Recent) > r.Window {
		s.Recent = s.Recent[len(s.Recent)-r.Window:]
	}
	to, reason := s.Pointer, ""
	switch {
	case !s.Mastered() && count(s.Recent, "win") >= r.Wins:
		to, reason = s.Pointer+1, "promote"
		if to == s.Rungs {
			reason = "master"
		}
	case r.DemoteLosses > 0 && s.Pointer > 0 && trailing(s.Recent, "loss") >= r.DemoteLosses:
		to, reason = min(s.Pointer, s.Rungs)-1, "demote"
	}
	if reason == "" {
		return Move{}, false, nil
	}
	mv = Move{Sample: obs.Sample, From: s.Pointer, To: to, Step: obs.Step, Time: now.UTC(), Reason: reason}
	s.Pointer, s.Recent = to, nil
	st.History = append(st.History, mv)
	return mv, true, nil
}

func count(xs []string, v string) int {
	n := 0
	for _, x := range xs {
		if x == v {
			n++
		}
	}
	return n
}

func trailing(xs []string, v string) int {
	n := 0
	for i := len(xs) - 1; i >= 0 && xs[i] == v; i-- {
		n++
	}
	return n
}
