package media

import (
	"slices"
	"testing"
)

// gopIndex builds an index of a closed-GOP stream with the decode-order pattern
// I P B B P B B ... (pts in frame units): I0 P3 B1 B2 P6 B4 B5 ..., a keyframe every gop
// frames, B frames non-reference.
func gopIndex(frames, gop int) *index {
	ix := &index{maxTID: -1}
	for start := 0; start < frames; start += gop {
		end := min(start+gop, frames)
		ix.packets = append(ix.packets, packetInfo{pts: int64(start), key: true, counted: true, tid: -1})
		for p := start + 3; ; p += 3 {
			if p >= end {
				p = end - 1
			}
			if p <= start {
				break
			}
			ix.packets = append(ix.packets, packetInfo{pts: int64(p), counted: true, tid: -1})
			for b := p - 2; b < p; b++ {
				if b > start && b < p && !slices.ContainsFunc(ix.packets, func(q packetInfo) bool { return q.pts == int64(b) }) {
					ix.packets = append(ix.packets, packetInfo{pts: int64(b), counted: true, nonRef: true, tid: -1})
				}
			}
			if p == end-1 {
				break
			}
		}
	}
	ix.buildOrder()
	return ix
}

func targetsOf(n int, frames ...int) []bool {
	t := make([]bool, n)
	for _, f := range frames {
		t[f] = true
	}
	return t
}

func TestGOPIndex(t *testing.T) {
	ix := gopIndex(12, 6)
	var pts []int64
	for _, p := range ix.packets {
		pts = append(pts, p.pts)
	}
	want := []int64{0, 3, 1, 2, 5, 4, 6, 9, 7, 8, 11, 10}
	if !slices.Equal(pts, want) {
		t.Fatalf("decode order pts = %v, want %v", pts, want)
	}
}

func TestSchedule(t *testing.T) {
	// Decode order of gopIndex(12, 6): pts 0 3 1 2 5 4 | 6 9 7 8 11 10.
	S, O, N := actSend, actOutside, actNonRef
	tests := []struct {
		name      string
		targets   []int
		full      bool
		wantAct   []action
		wantReset []int
		wantLast  int
	}{
		{"full decode", []int{4}, true, []action{S, S, S, S, S, S, S, S, S, S, S, S}, nil, 11},
		// Frame 4 is decode position 5: needs 0..5; B frames 1, 2 are skipped.
		{"one B target", []int{4}, false, []action{S, S, N, N, S, S, O, O, O, O, O, O}, nil, 5},
		// Frame 3 (P) is position 1: only 0..1.
		{"one P target", []int{3}, false, []action{S, S, O, O, O, O, O, O, O, O, O, O}, nil, 1},
		// Frames 0 and 7 (position 8): 0..0, then 6..8 after a reset.
		{"two GOPs", []int{0, 7}, false, []action{S, O, O, O, O, O, S, S, S, O, O, O}, []int{6}, 8},
		// Frames 2 and 8: ranges 0..3 and 6..9.
		{"B targets in two GOPs", []int{2, 8}, false, []action{S, S, N, S, O, O, S, S, N, S, O, O}, []int{6}, 9},
		// Frames 5 (P, position 4) and 6: 0..4 and 6..6; position 5 (a B) lies outside: reset at 6.
		{"adjacent GOPs", []int{5, 6}, false, []action{S, S, N, N, S, O, S, O, O, O, O, O}, []int{6}, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix := gopIndex(12, 6)
			s := newSchedule(ix, targetsOf(12, tc.targets...), tc.full)
			if !slices.Equal(s.act, tc.wantAct) {
				t.Errorf("actions = %v, want %v", s.act, tc.wantAct)
			}
			var resets []int
			for d, r := range s.reset {
				if r {
					resets = append(resets, d)
				}
			}
			if !slices.Equal(resets, tc.wantReset) {
				t.Errorf("resets = %v, want %v", resets, tc.wantReset)
			}
			if s.last != tc.wantLast {
				t.Errorf("last = %d, want %d", s.last, tc.wantLast)
			}
		})
	}
}

func TestScheduleLeadingPicture(t *testing.T) {
	// Open GOP: decode order I0 P4 B2 | CRA8 (key) RASL6 (pts before the CRA) P12.
	ix := &index{maxTID: -1, packets: []packetInfo{
		{pts: 0, key: true, counted: true}, {pts: 4, counted: true}, {pts: 2, counted: true},
		{pts: 8, key: true, counted: true}, {pts: 6, counted: true}, {pts: 12, counted: true},
	}}
	ix.buildOrder()
	// Frame index of pts 6 is 3 (order 0 2 4 6 8 12): it needs the previous GOP too.
	s := newSchedule(ix, targetsOf(6, 3), false)
	want := []action{actSend, actSend, actSend, actSend, actSend, actOutside}
	if !slices.Equal(s.act, want) {
		t.Fatalf("actions = %v, want %v", s.act, want)
	}
}
