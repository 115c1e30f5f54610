package media

import "time"

// Defaults of Limits.
const (
	// DefaultTimeout bounds one Probe or Sample call when Limits.Timeout is 0.
	DefaultTimeout = 10 * time.Minute
	// DefaultMaxPackets bounds the packets (all streams) read in one pass when
	// Limits.MaxPackets is 0: far above the ~50,000 of an hour of 30 fps video with audio.
	DefaultMaxPackets = 5_000_000
)

// Limits bound the work of one Probe or Sample call, on top of the caller's context.
type Limits struct {
	// Timeout is the longest a call may run (0: DefaultTimeout; negative: no limit
	// beyond the context).
	Timeout time.Duration
	// MaxPackets is the most packets one pass over the file may read (0: DefaultMaxPackets).
	MaxPackets int
}

func (l Limits) maxPackets() int {
	if l.MaxPackets <= 0 {
		return DefaultMaxPackets
	}
	return l.MaxPackets
}

func (l Limits) timeout() time.Duration {
	if l.Timeout == 0 {
		return DefaultTimeout
	}
	return l.Timeout
}
