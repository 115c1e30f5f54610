package media

import (
	"context"
	"errors"
	"fmt"

	"github.com/asticode/go-astiav"
)

// decoder is the state of one Sample decode pass.
type decoder struct {
	ix      *index
	plan    Plan
	targets []bool
	fn      FrameFunc
	opts    Options
	sched   schedule
	conv    *converter
	stats   Stats

	cc      *astiav.CodecContext
	frame   *astiav.Frame
	next    int   // next position in plan.Indices to emit
	outputs int   // frames out of the decoder, for streams without usable pts
	firstTS int64 // first output timestamp, for streams without usable pts
}

// run decodes the packets the schedule asks for.
func (d *decoder) run(ctx context.Context, fc *astiav.FormatContext, st *astiav.Stream) error {
	codec := astiav.FindDecoder(st.CodecParameters().CodecID())
	if codec == nil {
		return fmt.Errorf("%w: no decoder for %s", ErrUnsupported, st.CodecParameters().CodecID().Name())
	}
	cc := astiav.AllocCodecContext(codec)
	if cc == nil {
		return errors.New("allocating decoder failed")
	}
	defer cc.Free()
	if err := st.CodecParameters().ToCodecContext(cc); err != nil {
		return fmt.Errorf("configuring decoder: %w", err)
	}
	cc.SetThreadCount(d.opts.threads())
	cc.SetThreadType(astiav.ThreadTypeFrame | astiav.ThreadTypeSlice)
	setPktTimeBase(cc, st.TimeBase())
	if err := cc.Open(codec, nil); err != nil {
		return fmt.Errorf("%w: opening %s decoder: %w", ErrUnsupported, codec.Name(), err)
	}
	d.cc = cc
	d.frame = astiav.AllocFrame()
	defer d.frame.Free()
	pkt := astiav.AllocPacket()
	defer pkt.Free()

	pos := -1 // decode position of the current video packet
	read := 0
	for d.next < len(d.plan.Indices) && pos < d.sched.last {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("decode: %w: %w", ErrTimeout, err)
		}
		if read++; read > d.opts.maxPackets() {
			return fmt.Errorf("decode: %w: more than %d packets", ErrTimeout, d.opts.maxPackets())
		}
		if err := fc.ReadFrame(pkt); err != nil {
			if errors.Is(err, astiav.ErrEof) {
				break
			}
			if errors.Is(err, astiav.ErrEagain) {
				continue
			}
			return classify(ctx, ErrCorrupt, fmt.Sprintf("demux packet %d", pos+1), err)
		}
		if pkt.StreamIndex() != st.Index() {
			pkt.Unref()
			continue
		}
		pos++
		if pos >= len(d.ix.packets) || pkt.Pts() != d.ix.packets[pos].pts {
			pkt.Unref()
			return fmt.Errorf("%w: packet %d differs between the two reads of the file", ErrCorrupt, pos)
		}
		err := d.handle(pos, pkt)
		pkt.Unref()
		if err != nil {
			return err
		}
	}
	if err := d.drain(); err != nil {
		return err
	}
	if d.next < len(d.plan.Indices) {
		return fmt.Errorf("%w: %d of the %d planned frames were not decoded (first missing: frame %d)",
			ErrCorrupt, len(d.plan.Indices)-d.next, len(d.plan.Indices), d.plan.Indices[d.next])
	}
	return nil
}

// handle applies the schedule to the packet at decode position pos.
func (d *decoder) handle(pos int, pkt *astiav.Packet) error {
	switch d.sched.act[pos] {
	case actOutside:
		d.stats.SkippedOutside++
		return nil
	case actNonRef:
		d.stats.SkippedNonRef++
		return nil
	}
	if d.sched.reset[pos] {
		if err := d.drain(); err != nil {
			return err
		}
		flushDecoder(d.cc)
		d.stats.Resets++
	}
	d.stats.Sent++
	for {
		err := d.cc.SendPacket(pkt)
		if errors.Is(err, astiav.ErrEagain) {
			if err := d.receive(); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			d.stats.DecodeErrors++
		}
		break
	}
	return d.receive()
}

// drain sends end-of-stream and takes every frame the decoder still holds.
func (d *decoder) drain() error {
	if err := d.cc.SendPacket(nil); err != nil && !errors.Is(err, astiav.ErrEof) {
		return fmt.Errorf("draining decoder: %w", err)
	}
	return d.receive()
}

// receive takes the frames the decoder has ready.
func (d *decoder) receive() error {
	for {
		err := d.cc.ReceiveFrame(d.frame)
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			d.stats.DecodeErrors++
			return nil
		}
		d.stats.Decoded++
		err = d.emit(d.frame)
		d.frame.Unref()
		if err != nil {
			return err
		}
	}
}

// emit identifies a decoded frame and, if the plan wants it, converts it and calls fn.
func (d *decoder) emit(f *astiav.Frame) error {
	ts := f.Pts()
	if ts == astiav.NoPtsValue {
		ts = bestEffortPTS(f)
	}
	var k int
	var sec float64
	if d.ix.noPTS {
		if d.outputs == 0 {
			d.firstTS = ts
		}
		k = d.outputs
		d.outputs++
		sec = float64(ts-d.firstTS) * d.ix.timeBase.Float64()
	} else {
		if k = d.ix.frameAt(ts); k < 0 {
			return nil
		}
		sec = d.ix.ptsSec(ts)
	}
	if d.next >= len(d.plan.Indices) || k != d.plan.Indices[d.next] {
		return nil
	}
	img, err := d.conv.encode(f)
	if err != nil {
		return err
	}
	for d.next < len(d.plan.Indices) && d.plan.Indices[d.next] == k {
		b := img
		if d.next+1 < len(d.plan.Indices) && d.plan.Indices[d.next+1] == k {
			b = append([]byte(nil), img...)
		}
		if err := d.fn(d.next, sec, b); err != nil {
			return fmt.Errorf("frame callback (position %d): %w", d.next, err)
		}
		d.stats.Emitted++
		d.next++
	}
	return nil
}
