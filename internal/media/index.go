package media

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/asticode/go-astiav"
)

// packetInfo is what the demux pass keeps of one video packet, in decode order.
type packetInfo struct {
	pts, dts int64
	key      bool
	// counted: the packet is a frame of the video (not empty, not marked discard).
	counted bool
	// nonRef: an H.264/HEVC packet whose slices no other picture references (for HEVC
	// only within its temporal sub-layer tid; see droppable).
	nonRef bool
	tid    int8
}

// index is the result of a demux-only pass over the video stream.
type index struct {
	packets []packetInfo
	// order[k] is the decode position of frame k in presentation order.
	order []int
	// frameOf[d] is the frame index of decode position d, -1 if not counted.
	frameOf []int
	// noPTS: some frames have no pts, or two share one: frames are then identified by
	// decoder output order and no packet may be skipped.
	noPTS     bool
	maxTID    int
	timeBase  astiav.Rational
	firstPTS  int64
	corrupted int
}

// droppable reports a packet that no other frame needs for decoding.
func (ix *index) droppable(d int) bool {
	p := ix.packets[d]
	return p.nonRef && (p.tid < 0 || int(p.tid) == ix.maxTID)
}

// ptsSec converts a pts of the stream to seconds from the first frame.
func (ix *index) ptsSec(pts int64) float64 {
	return float64(pts-ix.firstPTS) * ix.timeBase.Float64()
}

// readIndex reads every packet of the file once, without decoding, and indexes the
// video stream's packets.
func readIndex(ctx context.Context, fc *astiav.FormatContext, st *astiav.Stream, lim Limits) (*index, error) {
	ix := &index{timeBase: st.TimeBase(), maxTID: -1}
	codec := nalNone
	switch st.CodecParameters().CodecID() {
	case astiav.CodecIDH264:
		codec = nalH264
	case astiav.CodecIDHevc:
		codec = nalHEVC
	}
	lengthSize, ok := nalLengthSize(codec, st.CodecParameters().ExtraData())
	if !ok {
		codec = nalNone
	}

	pkt := astiav.AllocPacket()
	if pkt == nil {
		return nil, errors.New("allocating packet failed")
	}
	defer pkt.Free()
	read := 0
	for {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("demux: %w: %w", ErrTimeout, err)
		}
		if read++; read > lim.maxPackets() {
			return nil, fmt.Errorf("demux: %w: more than %d packets", ErrTimeout, lim.maxPackets())
		}
		if err := fc.ReadFrame(pkt); err != nil {
			if errors.Is(err, astiav.ErrEof) {
				break
			}
			if errors.Is(err, astiav.ErrEagain) {
				continue
			}
			return nil, classify(ctx, ErrCorrupt, fmt.Sprintf("demux packet %d", len(ix.packets)), err)
		}
		if pkt.StreamIndex() != st.Index() {
			pkt.Unref()
			continue
		}
		p := packetInfo{pts: pkt.Pts(), dts: pkt.Dts(), key: pkt.Flags().Has(astiav.PacketFlagKey), tid: -1}
		p.counted = pkt.Size() > 0 && !pkt.Flags().Has(astiav.PacketFlagDiscard)
		if pkt.Flags().Has(astiav.PacketFlagCorrupt) {
			ix.corrupted++
		}
		if codec != nalNone && pkt.Size() > 0 {
			nonRef, tid := nalScan(codec, pkt.Data(), lengthSize)
			p.nonRef, p.tid = nonRef, int8(tid)
			ix.maxTID = max(ix.maxTID, tid)
		}
		ix.packets = append(ix.packets, p)
		pkt.Unref()
	}
	ix.buildOrder()
	return ix, nil
}

// buildOrder sorts the counted packets by pts into presentation order.
func (ix *index) buildOrder() {
	ix.frameOf = make([]int, len(ix.packets))
	ix.order = ix.order[:0]
	for d, p := range ix.packets {
		ix.frameOf[d] = -1
		if p.counted {
			ix.order = append(ix.order, d)
			if p.pts == astiav.NoPtsValue {
				ix.noPTS = true
			}
		}
	}
	if ix.noPTS {
		// Decode order is the best guess of presentation order without timestamps.
		for k, d := range ix.order {
			ix.frameOf[d] = k
		}
		return
	}
	slices.SortStableFunc(ix.order, func(a, b int) int {
		pa, pb := ix.packets[a].pts, ix.packets[b].pts
		switch {
		case pa < pb:
			return -1
		case pa > pb:
			return 1
		}
		return 0
	})
	for k, d := range ix.order {
		ix.frameOf[d] = k
		if k > 0 && ix.packets[d].pts == ix.packets[ix.order[k-1]].pts {
			ix.noPTS = true
		}
	}
	if len(ix.order) > 0 {
		ix.firstPTS = ix.packets[ix.order[0]].pts
	}
}

// frameAt returns the frame index whose pts is pts, or -1.
func (ix *index) frameAt(pts int64) int {
	k, found := slices.BinarySearchFunc(ix.order, pts, func(d int, t int64) int {
		switch p := ix.packets[d].pts; {
		case p < t:
			return -1
		case p > t:
			return 1
		}
		return 0
	})
	if !found {
		return -1
	}
	return k
}
