package media

import (
	"slices"

	"github.com/asticode/go-astiav"
)

// action says what the decode pass does with one video packet.
type action uint8

const (
	// actSend: send the packet to the decoder.
	actSend action = iota
	// actOutside: the packet lies outside every range needed for a target: skip it.
	actOutside
	// actNonRef: a non-reference packet inside a needed range that is not a target: skip it.
	actNonRef
)

// schedule is the decode plan over the packets of an index, in decode order.
type schedule struct {
	act []action
	// reset[d]: drain and flush the decoder before packet d (a new range after a gap).
	reset []bool
	// last is the decode position after which no packet is needed (-1: none).
	last int
}

// newSchedule decides which packets to send so that every target frame is decoded.
// Each target needs the packets from the last keyframe at or before it in decode order
// whose pts is not after the target's (so the target is not a leading picture of that
// keyframe) up to the target itself; the union of these ranges is sent, and a gap between
// ranges resets the decoder (the equivalent of a seek). Inside a range, H.264/HEVC
// non-reference packets that are not targets are skipped. With full, or when frames
// cannot be identified by pts, every packet is sent.
func newSchedule(ix *index, targets []bool, full bool) schedule {
	n := len(ix.packets)
	s := schedule{act: make([]action, n), reset: make([]bool, n), last: n - 1}
	if full || ix.noPTS {
		return s
	}
	type span struct{ from, to int }
	var spans []span
	for k, want := range targets {
		if !want {
			continue
		}
		d := ix.order[k]
		spans = append(spans, span{ix.keyframeBefore(d), d})
	}
	slices.SortFunc(spans, func(a, b span) int { return a.from - b.from })
	for d := range s.act {
		s.act[d] = actOutside
	}
	s.last = -1
	for _, sp := range spans {
		if s.last >= 0 && sp.from > s.last+1 {
			s.reset[sp.from] = true
		}
		for d := max(sp.from, s.last+1); d <= sp.to; d++ {
			s.act[d] = actSend
			if k := ix.frameOf[d]; ix.droppable(d) && (k < 0 || !targets[k]) {
				s.act[d] = actNonRef
			}
		}
		s.last = max(s.last, sp.to)
	}
	return s
}

// keyframeBefore returns the decode position of the keyframe a decode of packet d must
// start from (0 if there is none).
func (ix *index) keyframeBefore(d int) int {
	pts := ix.packets[d].pts
	for k := d; k >= 0; k-- {
		p := ix.packets[k]
		if p.key && (p.pts == astiav.NoPtsValue || p.pts <= pts) {
			return k
		}
	}
	return 0
}
