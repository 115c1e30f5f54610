package serve

import (
	"fmt"
	"net/http"
)

// Request is a POST /get_reward body. Query holds prompt+response texts (OpenRLHF sends
// the decoded sequence); when Prompts is given, Prompts[i] must be a prefix of Query[i]
// and the completion is what follows it, else the whole query is the completion.
// Labels are the rows' label strings (export.Label JSON). Step, optional, is the
// trainer's step, recorded with schedule moves. RequestID, optional, names the request
// across retries: a client that resends a request whose answer it lost (a timeout, a
// dropped connection) with the same id gets its rewards again, but the writing outcomes
// are recorded in the schedule only once (the last schedule.MaxRequests ids are kept).
type Request struct {
	Query     []string `json:"query"`
	Prompts   []string `json:"prompts,omitempty"`
	Labels    []string `json:"labels"`
	Step      int      `json:"step,omitempty"`
	RequestID string   `json:"request_id,omitempty"`
}

// Response is a /get_reward answer. Rewards[i] is the reward of Query[i]; Scores[i] is
// the same reward scaled to [0, 1] (for OpenRLHF's dynamic filtering); ExtraLogs maps
// a name to one number per query (OpenRLHF logs them). AnswerNotes, present only when a
// writing completion has one, says why the answer the judge saw for Query[i] was empty
// ("unclosed <think>", judge.StripThinking), "" for the others.
type Response struct {
	Rewards     []float64            `json:"rewards"`
	Scores      []float64            `json:"scores"`
	ExtraLogs   map[string][]float64 `json:"extra_logs"`
	AnswerNotes []string             `json:"answer_notes,omitempty"`
}

// ErrorBody is the JSON body of every non-200 answer.
type ErrorBody struct {
	Error string `json:"error"`
	// Retryable is true for 503 answers: the same request may succeed later.
	Retryable bool `json:"retryable"`
}

// Error is a request failure with the HTTP status it is answered with.
type Error struct {
	Status int
	// Kind labels the failure in metrics: bad_request, busy, timeout, judge, schedule,
	// unauthorized.
	Kind   string
	Reason string
}

// Error returns the reason with its status.
func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Kind, e.Reason) }

func badRequest(format string, a ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Kind: "bad_request", Reason: fmt.Sprintf(format, a...)}
}

func unavailable(kind, format string, a ...any) *Error {
	return &Error{Status: http.StatusServiceUnavailable, Kind: kind, Reason: fmt.Sprintf(format, a...)}
}
