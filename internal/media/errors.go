package media

import "errors"

// Sentinel errors. Every error returned by Probe and Sample wraps exactly one of them
// (test with errors.Is), together with the path and the FFmpeg error when there is one.
var (
	// ErrNotFound reports a path that cannot be opened as a file (missing, unreadable).
	ErrNotFound = errors.New("video file not found or unreadable")
	// ErrInvalid reports a file FFmpeg cannot recognise as a media container (garbage,
	// unsupported container, an MP4 whose index was cut off).
	ErrInvalid = errors.New("not a recognisable media file")
	// ErrNoVideo reports a media file without a video stream (audio only, cover art only).
	ErrNoVideo = errors.New("no video stream")
	// ErrUnsupported reports a video stream whose codec this build cannot decode.
	ErrUnsupported = errors.New("unsupported video codec")
	// ErrTruncated reports a file that ends before the frames its index announces.
	ErrTruncated = errors.New("truncated video")
	// ErrCorrupt reports a file whose packets or frames cannot be read or decoded, or
	// that yields none of the frames a plan asks for.
	ErrCorrupt = errors.New("corrupt video")
	// ErrTimeout reports a read stopped by the context (deadline or cancel) or by the
	// packet budget of Limits.
	ErrTimeout = errors.New("video read stopped by its time or packet limit")
	// ErrPlan reports a sampling plan that does not fit the video (index out of range,
	// bad size).
	ErrPlan = errors.New("bad sampling plan")
)
