// Package annotations holds the pure domain code of the video-grounding (MUSEG)
// branch's annotations: the Sample record, parsers for Charades-STA, E.T.
// Instruct 164K and MUSEG's own JSONL, the project's question and instruction
// templates, validation against a probed video duration, and the split of
// samples into the two training phases.
//
// Nothing here imports Beam or cgo: the Beam job and the FFmpeg code call these
// functions. Every function is deterministic for a given input and seed.
package annotations
