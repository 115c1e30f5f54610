package export

import (
	"errors"
	"fmt"
)

// Kind names a branch, and so the row type its Parquet shards hold.
type Kind string

const (
	// Writing rows come from the writing select job (WritingRow).
	Writing Kind = "writing"
	// Video rows come from the video build job (VideoRow).
	Video Kind = "video"
)

// ParseKind parses "writing" or "video".
func ParseKind(s string) (Kind, error) {
	switch k := Kind(s); k {
	case Writing, Video:
		return k, nil
	}
	return "", fmt.Errorf("trainer row kind %q: want writing or video", s)
}

// ErrBadRow means a data row cannot be converted into a trainer row.
var ErrBadRow = errors.New("data row cannot be converted")

// Options are the choices a trainer row depends on beyond the data row itself.
type Options struct {
	// Kind selects the branch (required by EncodeParquet; the converters ignore it).
	Kind Kind `json:"kind"`
	// Split is written to extra_info.split; empty means "train".
	Split string `json:"split,omitempty"`
	// FrameRoot, if not empty, is prefixed to every relative frame path (with one "/"
	// between), e.g. "/mnt/gcs/run1" where the trainer mounts the job's output prefix.
	// Empty keeps the paths relative to the output prefix; video build passes its
	// absolute output prefix (or gs:// URI) unless --frame-root is given. Absolute paths
	// and URLs are never rewritten.
	FrameRoot string `json:"frame_root,omitempty"`
	// Mode is the MUSEG reward mode written into video labels: "compat" (the default,
	// when empty) or "strict".
	Mode string `json:"mode,omitempty"`
	// System, if not empty, replaces the writing rows' system message
	// ("You are a helpful assistant.", as Writing-RL trains).
	System string `json:"system,omitempty"`
}

func (o Options) split() string {
	if o.Split == "" {
		return "train"
	}
	return o.Split
}

func (o Options) mode() (string, error) {
	switch o.Mode {
	case "":
		return "compat", nil
	case "compat", "strict":
		return o.Mode, nil
	}
	return "", fmt.Errorf("MUSEG mode %q: want compat or strict", o.Mode)
}
