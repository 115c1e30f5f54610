// Package judge is the LLM-judge client used by the Writing-RL jobs.
//
// It asks an OpenAI-compatible chat-completions endpoint for pointwise scores
// (a JSON object with an integer "score" 1..10 and a "reason") and pairwise
// comparisons (free text ending in a verdict token [[A]], [[B]] or [[C]]; the
// verdict itself is parsed by the rewards package). The Client adds what a
// batch job needs around each call: a concurrency limit, requests-per-minute
// and tokens-per-minute budgets, per-attempt timeouts, bounded retries with
// exponential backoff and jitter honouring Retry-After, a content-addressed
// reply cache with in-flight deduplication, and token/cost accounting.
//
// Heuristic is an offline Judge for demos and tests: deterministic text
// statistics, not a quality judge.
//
// Config is the judge as the jobs' and the reward service's --judge-* flags
// describe it, and New builds it (a Client or the Heuristic). Cache is the one
// reply cache, in a local folder or under a gs:// prefix. LabelPair and
// LabelPairs are the one pairwise labelling of a policy's answer against a
// reference, used by both `writing label` and `runner serve`.
//
// The package imports no cgo and no pipeline; its only storage access, the
// reply cache, goes through package blob.
package judge
