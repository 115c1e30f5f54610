// Package curriculum holds the curriculum jobs of both branches: `curriculum difficulty`
// (per-sample pass rates from rollout rewards, DAPO's zero-variance filter and
// QwenLong-L1's difficulty band) and `curriculum mix` (QwenLong-L1.5's task-balanced
// mixing: exact quotas per source, a seeded uniform draw). The rules are pure functions
// of this package (reward.go, stats.go, band.go, quota.go, draw.go, rows.go); the Beam
// files (difficulty.go, mix.go) only wire them. docs/curriculum.md explains the rules.
package curriculum
