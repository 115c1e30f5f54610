// Package media reads videos with FFmpeg (through go-astiav): Probe describes a video from
// a demux-only pass, and Sample decodes the frames a sampling plan asks for, scales them,
// applies the display rotation and hands each one to a callback as a JPEG.
//
// It is the only cgo package of rlcurate and the only importer of go-astiav; its API uses
// plain Go types. Every read is bounded (a context deadline wired to FFmpeg's interrupt
// callback, and a packet budget), and bad inputs come back as errors wrapping one of the
// sentinels in errors.go, never as crashes or hangs.
//
// Timestamps: a frame's time is its presentation timestamp minus the presentation
// timestamp of the video stream's first frame, in seconds, so the first frame is at 0.
// This is the clock qwen-vl-utils and the trainer assume (frame i of a constant-rate video
// at i/fps). Info.FirstFrameSec keeps the absolute time of that first frame.
package media
