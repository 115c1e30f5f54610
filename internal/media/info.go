package media

// Info describes a video file and its video stream, as Probe reads it.
type Info struct {
	// Container is the demuxer's short name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm".
	Container string `json:"container"`
	// DurationSec is the container duration in seconds (0 if the container does not say).
	DurationSec float64 `json:"duration_sec"`
	// StartSec is the container start time in seconds (0 if unknown).
	StartSec float64 `json:"start_sec"`

	// StreamIndex is the index of the video stream used.
	StreamIndex int `json:"stream_index"`
	// Codec is the FFmpeg codec name (h264, hevc, vp9, av1, mpeg4, ...).
	Codec string `json:"codec"`
	// PixelFormat is the decoder's pixel format name (e.g. yuv420p), "" if unknown.
	PixelFormat string `json:"pixel_format"`
	// Width and Height are the coded frame size in pixels.
	Width  int `json:"width"`
	Height int `json:"height"`
	// Rotation is the clockwise rotation in degrees (0, 90, 180 or 270) that the display
	// matrix asks for, rounded to the nearest multiple of 90. Flips are ignored.
	Rotation int `json:"rotation"`
	// DisplayWidth and DisplayHeight are Width and Height after Rotation (swapped for 90
	// and 270). Sample's frames come out in this orientation.
	DisplayWidth  int `json:"display_width"`
	DisplayHeight int `json:"display_height"`

	// StreamDurationSec is the stream's own duration in seconds (0 if unknown).
	StreamDurationSec float64 `json:"stream_duration_sec"`
	// StreamStartSec is the stream's start time in seconds (0 if unknown).
	StreamStartSec float64 `json:"stream_start_sec"`
	// AvgFPS is the stream's average frame rate (avg_frame_rate), 0 if unknown.
	AvgFPS float64 `json:"avg_fps"`
	// RealFPS is the stream's base frame rate (r_frame_rate), 0 if unknown.
	RealFPS float64 `json:"real_fps"`

	// Frames is the number of video frames, counted by the demux pass (one per packet,
	// not counting empty packets and packets the container marks to discard).
	Frames int `json:"frames"`
	// HeaderFrames is the frame count the container declares (0 if it does not).
	HeaderFrames int `json:"header_frames"`
	// FirstFrameSec and LastFrameSec are the absolute presentation times in seconds of the
	// first and last frame, in presentation order.
	FirstFrameSec float64 `json:"first_frame_sec"`
	LastFrameSec  float64 `json:"last_frame_sec"`
	// VariableFrameRate reports that the gaps between consecutive frames differ by more
	// than two timestamp ticks and 5% of the mean gap.
	VariableFrameRate bool `json:"variable_frame_rate"`
	// Keyframes is the number of keyframes among the frames.
	Keyframes int `json:"keyframes"`
	// MaxKeyframeInterval is the largest distance, in frames of presentation order, between
	// consecutive keyframes, counting the distance from the last keyframe to the end of
	// the stream (Frames when there is a single keyframe).
	MaxKeyframeInterval int `json:"max_keyframe_interval"`
	// NoTimestamps reports that some packets carry no presentation timestamp, so frames
	// are indexed by decode output order and frame times are estimated from the decoder.
	NoTimestamps bool `json:"no_timestamps,omitempty"`
}

// FPS returns the frame rate to sample with: AvgFPS, or, when the container gives none,
// the frame count over the span of frame timestamps (0 when neither is known).
// qwen-vl-utils uses the average frame rate (decord's get_avg_fps, PyAV's average_rate).
func (i Info) FPS() float64 {
	if i.AvgFPS > 0 {
		return i.AvgFPS
	}
	if span := i.LastFrameSec - i.FirstFrameSec; i.Frames > 1 && span > 0 {
		return float64(i.Frames-1) / span
	}
	return 0
}
