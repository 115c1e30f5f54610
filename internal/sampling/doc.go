// Package sampling reproduces the frame-sampling arithmetic of qwen-vl-utils 0.0.10, the
// preprocessing library of Qwen2.5-VL that MUSEG trains with: how many frames to take from
// a video, which frame indices, at what effective frame rate, and at what pixel size.
//
// It is pure Go: it knows nothing about decoding. A caller probes a video (package media),
// builds a Plan here with NewPlan, and hands the Plan's indices and size to the decoder.
package sampling
