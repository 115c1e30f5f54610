package schedule

import "time"

// StateVersion is the version written into new state files.
const StateVersion = 1

// State is the whole schedule, as stored. Its JSON form (one object, written
// atomically by every Store) is:
//
//	{"version": 1,
//	 "samples": {"<sample id>": {"pointer": 2, "rungs": 4, "recent": ["win", "tie"],
//	                              "labels": ["<label id>", ...]}},
//	 "history": [{"sample": "<sample id>", "from": 1, "to": 2, "step": 37,
//	              "time": "2026-01-02T03:04:05Z", "reason": "promote"}],
//	 "requests": ["<request id>", ...]}
//
// pointer indexes the sample's references (0 = weakest); pointer == rungs means
// the strongest has been beaten (mastered). recent holds the outcomes seen at the
// current pointer since the last move (at most Rule.Window of them). labels holds the ids
// of the label rows writing advance applied to the sample, so that none is applied twice
// (ApplyLabel); it is kept across moves. history is
// append-only: every move ever made, in order. requests holds the ids of the last
// MaxRequests reward requests applied, oldest first (absent when clients send none).
type State struct {
	Version  int                     `json:"version"`
	Samples  map[string]*SampleState `json:"samples"`
	History  []Move                  `json:"history"`
	Requests []string                `json:"requests,omitempty"`
}

// SampleState is one sample's place on its ladder.
type SampleState struct {
	Pointer int      `json:"pointer"`
	Rungs   int      `json:"rungs"`
	Recent  []string `json:"recent,omitempty"`
	Labels  []string `json:"labels,omitempty"`
}

// Move is one change of a sample's pointer. Reason is "promote", "master" (the
// strongest was beaten: To == rungs) or "demote".
type Move struct {
	Sample string    `json:"sample"`
	From   int       `json:"from"`
	To     int       `json:"to"`
	Step   int       `json:"step"`
	Time   time.Time `json:"time"`
	Reason string    `json:"reason"`
}

// NewState returns an empty state.
func NewState() *State {
	return &State{Version: StateVersion, Samples: map[string]*SampleState{}}
}

// Mastered reports whether the sample has beaten its strongest reference.
func (s *SampleState) Mastered() bool { return s.Pointer >= s.Rungs }

// Reference is the index of the reference to compare with: the pointer, clamped
// to the strongest (so a mastered sample keeps meeting the strongest, as released).
func (s *SampleState) Reference() int { return max(0, min(s.Pointer, s.Rungs-1)) }
