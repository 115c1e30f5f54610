// Package serve is rlcurate's online reward service: an http.Handler that answers
// OpenRLHF's remote reward protocol (POST /get_reward {"query", "prompts", "labels"} ->
// {"rewards", "scores", "extra_logs"}) with MUSEG's phased rewards and Writing-RL's
// pairwise judge rewards against a shared, moving reference schedule, plus /healthz and
// Prometheus /metrics.
//
// A failure never becomes a reward: a bad request is a 4xx with its reason, a judge or
// schedule-store failure is a 503 (retryable) and moves nothing. See docs/trainers.md.
package serve
