// Package writing holds the Writing-RL jobs run by cmd/runner:
//
//   - Select scores every sample's policy response and references pointwise with a judge,
//     orders each sample's references weakest to strongest and keeps the samples with the
//     most learning potential (margin = best reference score - policy score, or another
//     strategy);
//   - Label judges rollouts pairwise against the reference under each sample's current
//     schedule pointer and writes one reward row per rollout;
//   - Advance applies labelled outcomes to the reference schedule (a plain command, no Beam).
//
// The record types and the pure helpers (parsing, scoring, ranking) are usable without Beam;
// the Beam composites and DoFns are in the files named after their job.
package writing
