// Package judgetest provides an OpenAI-compatible chat-completions server on
// 127.0.0.1 for tests of the judge client: scripted replies, request
// matching, fault injection (429 with Retry-After, 5xx, hangs, malformed
// JSON, added latency) and counters of what it received.
package judgetest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Message is a chat message as received.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Request is a chat-completions request as the server received it.
type Request struct {
	Model       string    `json:"model"`
	Messages    []Message `json:"messages"`
	Temperature *float64  `json:"temperature,omitempty"`
	MaxTokens   int       `json:"max_tokens,omitempty"`
	Seed        *int      `json:"seed,omitempty"`
	// ResponseFormat is the response_format the client asked for (nil: none).
	ResponseFormat *ResponseFormat `json:"response_format,omitempty"`
	// Header is the request's HTTP header (Authorization included).
	Header http.Header `json:"-"`
	// Body is the raw request body.
	Body []byte `json:"-"`
}

// ResponseFormat is a request's response_format.
type ResponseFormat struct {
	Type string `json:"type"`
}

// WantsJSON reports whether the request asked for a JSON object (response_format
// json_object or json_schema).
func (r Request) WantsJSON() bool {
	return r.ResponseFormat != nil && (r.ResponseFormat.Type == "json_object" || r.ResponseFormat.Type == "json_schema")
}

// User returns the content of the last user message.
func (r Request) User() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

// Text returns the concatenated message contents, for matching.
func (r Request) Text() string {
	var b strings.Builder
	for _, m := range r.Messages {
		b.WriteString(m.Content)
		b.WriteByte('\n')
	}
	return b.String()
}

// Reply scripts one response. The zero Reply is a 200 with empty content.
type Reply struct {
	// Status is the HTTP status (0 = 200). A non-2xx status sends an
	// OpenAI-style error body with Content as the message unless Raw is set.
	Status int
	// RetryAfter, if not empty, is sent as the Retry-After header.
	RetryAfter string
	// Content is the assistant message content of a 200 reply.
	Content string
	// Raw, if not empty, is sent verbatim as the body (malformed JSON).
	Raw string
	// Delay is added before replying (on top of the server's Latency).
	Delay time.Duration
	// Hang makes the server never reply: it waits until the client goes
	// away or the server is closed.
	Hang bool
	// PromptTokens and CompletionTokens are reported as usage; zero means
	// the estimate len(text)/4.
	PromptTokens, CompletionTokens int
}

// Handler computes the reply to a request.
type Handler func(Request) Reply

// Server is a scripted chat-completions server. Replies come, in order of
// precedence, from the queue (Enqueue), from the first matching rule (When),
// then from the handler (Handle; default: Content `{"score": 7, "reason": "ok"}`).
type Server struct {
	srv     *httptest.Server
	closing chan struct{}
	latency atomic.Int64 // nanoseconds

	mu       sync.Mutex
	queue    []Reply
	rules    []rule
	handler  Handler
	received []Request

	count       atomic.Int64
	models      atomic.Int64 // status of GET /models (0: 404)
	modelsCalls atomic.Int64
	inFlight    atomic.Int64
	maxInFlight atomic.Int64
}

type rule struct {
	substr string
	reply  func(Request) Reply
}

// DefaultContent is the default handler's reply content.
const DefaultContent = `{"score": 7, "reason": "ok"}`

// New starts a server on 127.0.0.1 with a free port. Close it when done.
func New() *Server {
	s := &Server{closing: make(chan struct{})}
	s.handler = func(Request) Reply { return Reply{Content: DefaultContent} }
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL returns the base URL to give the client (ends in /v1).
func (s *Server) URL() string { return s.srv.URL + "/v1" }

// Close makes hanging requests return and shuts the server down.
func (s *Server) Close() {
	select {
	case <-s.closing:
	default:
		close(s.closing)
	}
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// SetLatency adds d before every reply.
func (s *Server) SetLatency(d time.Duration) { s.latency.Store(int64(d)) }

// Handle sets the fallback handler.
func (s *Server) Handle(h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handler = h
}

// Enqueue appends replies served, one per request, before rules and handler.
func (s *Server) Enqueue(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, replies...)
}

// When answers every request whose message text contains substr with r
// (checked after the queue, in the order rules were added).
func (s *Server) When(substr string, r Reply) {
	s.WhenFunc(substr, func(Request) Reply { return r })
}

// WhenFunc is When with a reply computed from the request.
func (s *Server) WhenFunc(substr string, f func(Request) Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append(s.rules, rule{substr: substr, reply: f})
}

// SetModels makes GET .../models answer status (200 with an empty list, or an OpenAI
// error body); 0 restores the default 404. GET /models is what a judge preflight asks.
func (s *Server) SetModels(status int) { s.models.Store(int64(status)) }

// ModelsCalls returns how many GET .../models requests arrived (they do not count in
// Requests).
func (s *Server) ModelsCalls() int { return int(s.modelsCalls.Load()) }

// Requests returns the number of requests received.
func (s *Server) Requests() int { return int(s.count.Load()) }

// MaxInFlight returns the largest number of requests handled at once.
func (s *Server) MaxInFlight() int { return int(s.maxInFlight.Load()) }

// Received returns copies of the requests received, in arrival order.
func (s *Server) Received() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.received...)
}

// pick chooses the reply for req.
func (s *Server) pick(req Request) Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.received = append(s.received, req)
	if len(s.queue) > 0 {
		r := s.queue[0]
		s.queue = s.queue[1:]
		return r
	}
	text := req.Text()
	for _, ru := range s.rules {
		if strings.Contains(text, ru.substr) {
			return ru.reply(req)
		}
	}
	return s.handler(req)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/models") {
		s.modelsCalls.Add(1)
		switch st := int(s.models.Load()); {
		case st == 0:
			writeError(w, http.StatusNotFound, "unknown path "+r.URL.Path)
		case st >= 200 && st < 300:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(st)
			io.WriteString(w, `{"object":"list","data":[]}`)
		default:
			writeError(w, st, "models: scripted status")
		}
		return
	}
	s.count.Add(1)
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.maxInFlight.Load()
		if n <= m || s.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/chat/completions") {
		writeError(w, http.StatusNotFound, "unknown path "+r.URL.Path)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "read body: "+err.Error())
		return
	}
	var req Request
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "decode body: "+err.Error())
		return
	}
	req.Header, req.Body = r.Header.Clone(), body
	reply := s.pick(req)

	wait := time.Duration(s.latency.Load()) + reply.Delay
	if reply.Hang {
		wait = 24 * time.Hour
	}
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		}
	}
	if reply.RetryAfter != "" {
		w.Header().Set("Retry-After", reply.RetryAfter)
	}
	status := reply.Status
	if status == 0 {
		status = http.StatusOK
	}
	if reply.Raw != "" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, reply.Raw)
		return
	}
	if status < 200 || status >= 300 {
		writeError(w, status, reply.Content)
		return
	}
	writeCompletion(w, req, reply)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"error": map[string]any{"message": msg, "type": "judgetest_error", "code": status},
	})
}

func writeCompletion(w http.ResponseWriter, req Request, reply Reply) {
	pt, ct := reply.PromptTokens, reply.CompletionTokens
	if pt == 0 {
		pt = len(req.Text()) / 4
	}
	if ct == 0 {
		ct = len(reply.Content) / 4
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"id":      fmt.Sprintf("judgetest-%d", time.Now().UnixNano()),
		"object":  "chat.completion",
		"created": time.Now().Unix(),
		"model":   req.Model,
		"choices": []map[string]any{{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": reply.Content},
			"finish_reason": "stop",
		}},
		"usage": map[string]int{"prompt_tokens": pt, "completion_tokens": ct, "total_tokens": pt + ct},
	})
}
