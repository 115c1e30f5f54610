// Package export turns rlcurate's curated JSONL data rows into the rows RL trainers load:
// verl's Parquet rows (data_source, prompt, ability, reward_model, extra_info, plus a
// qwen-vl-utils videos column for the video branch), and an OpenRLHF/TRL label column
// that carries what rlcurate's reward service needs to score a completion.
//
// Each branch has one concrete Parquet schema (WritingRow, VideoRow): verl accepts any
// nested value as ground truth, so the structs here are the contract. See
// docs/trainers.md. The package is pure Go: no Beam, no cgo.
package export
