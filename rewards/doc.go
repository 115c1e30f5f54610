// Package rewards computes the rewards rlcurate's RL branches train with: MUSEG's
// phased video-grounding reward (format score, timestamp check, global and local
// segment matching) in a "compat" mode equal to the released Python code and a
// "strict" mode that fixes its known defects, the GRPO group advantage, the
// TimeZero and Time-R1 IoU rewards, and Writing-RL's pairwise judge verdicts.
//
// The package is pure Go: no Beam, no cgo. See docs/rewards.md.
package rewards
