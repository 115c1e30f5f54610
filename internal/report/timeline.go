package report

import (
	"fmt"
	"math"
)

// Timeline draws one sample's ground-truth segments on its video's time axis: one bar per
// segment (a mark, with a tooltip) labelled "start–end", in lanes so that overlapping
// segments and their labels never cover each other; the sampled frames' timestamps as
// ticks under the bars; and an axis in seconds from 0 to the video's duration. The axis
// extends to a segment end or frame beyond the duration (or a start before 0), and then
// the duration is marked "end of video". Segments or timestamps that are NaN or infinite
// are not drawn and are counted in a note. Without a drawable segment and a span of time
// it shows "no data".
type Timeline struct {
	// ID is the chart's data-chart id; derived from Title when empty.
	ID string
	// Title is the figure caption.
	Title string
	// DurationSec is the video's duration in seconds; 0 or less when unknown.
	DurationSec float64
	// Segments are [start, end] in seconds, drawn in order, one lane down when they
	// would overlap an earlier one.
	Segments [][2]float64
	// FrameTimesSec are the sampled frames' timestamps in seconds.
	FrameTimesSec []float64
	// Notes are lines under the figure (escaped).
	Notes []string
}

// Timeline geometry: the axis runs from x = tlLeft to tlWidth - tlRight.
const (
	tlWidth = plotW
	tlLeft  = 20
	tlRight = 20
	tlTop   = 8
	tlLaneH = 28 // a label line and a bar
	tlBarY  = 14 // bar top below its lane's top
	tlBarH  = 10
	tlTickH = 8 // frame ticks
	tlGap   = 6 // px kept free right of a bar or label in its lane
)

// maxFrameTicks is the most frame ticks drawn; beyond it, evenly spaced ones are.
const maxFrameTicks = 1024

func (tl *Timeline) view() blockView { return blockView{Chart: tl.figure()} }

// figure draws the timeline.
func (tl *Timeline) figure() *figure {
	c := newCanvas(tl.ID, "timeline", tl.Title, tlWidth, 80)
	c.fig.Notes = append(c.fig.Notes, tl.Notes...)
	lo, hi, skipped := tl.domain()
	if hi <= lo || len(tl.Segments) == skipped {
		why := ""
		if skipped > 0 {
			why = fmt.Sprintf("%d segments with a non-finite bound not drawn", skipped)
		}
		return c.noData(why)
	}
	x := linear{lo, hi, tlLeft, tlWidth - tlRight}
	lanes := tl.drawSegments(c, x)
	frameY := float64(tlTop + lanes*tlLaneH + 2)
	axisY := frameY + tlTickH + 4
	tl.drawFrames(c, x, frameY)
	xt, dec := ticks(lo, hi, nTicks)
	c.add(line(x.at(lo), axisY, x.at(hi), axisY, "axis"))
	for _, v := range xt {
		c.add(line(x.at(v), axisY, x.at(v), axisY+4, "axis"))
		c.add(text(x.at(v), axisY+16, tickText(v, dec), "tick", "middle"))
	}
	c.add(text(x.at(lo), axisY+30, "seconds", "axis-label", "start"))
	if d := tl.DurationSec; d > 0 && !math.IsInf(d, 0) && (d < hi || lo < 0) {
		c.add(line(x.at(d), tlTop, x.at(d), axisY+4, "threshold"))
		c.add(text(x.at(d), axisY+30, "end of video", "threshold-label", "middle"))
	}
	c.fig.Height = int(axisY + 36)
	if skipped > 0 {
		c.note(fmt.Sprintf("%d segments with a non-finite bound not drawn", skipped))
	}
	return c.fig
}

// domain is the time span drawn: 0 (or the earliest finite bound) to the duration (or
// the latest finite bound or frame), and the number of segments left out as non-finite.
func (tl *Timeline) domain() (lo, hi float64, skipped int) {
	if d := tl.DurationSec; finite(d) && d > 0 {
		hi = d
	}
	for _, s := range tl.Segments {
		if !finite(s[0]) || !finite(s[1]) {
			skipped++
			continue
		}
		lo, hi = min(lo, s[0], s[1]), max(hi, s[0], s[1])
	}
	for _, f := range tl.FrameTimesSec {
		if finite(f) {
			lo, hi = min(lo, f), max(hi, f)
		}
	}
	return lo, hi, skipped
}

// drawSegments draws the finite segments as marks, each in the first lane where it and
// its label clear what the lane holds, and returns the number of lanes used (at least 1).
func (tl *Timeline) drawSegments(c *canvas, x linear) int {
	var laneEnd []float64 // per lane, the rightmost pixel used
	for i, s := range tl.Segments {
		if !finite(s[0]) || !finite(s[1]) {
			continue
		}
		x0, x1 := x.at(min(s[0], s[1])), x.at(max(s[0], s[1]))
		w := max(x1-x0, 2) // a zero-length segment stays visible
		label := formatNum(s[0], 2) + "–" + formatNum(s[1], 2)
		lx, anchor, lw := x0, "start", textWidth(label)
		left, right := x0, max(x0+w, x0+lw)
		if x0+lw > tlWidth { // no room on the right: end the label where the bar ends
			lx, anchor = x0+w, "end"
			left, right = min(x0, x0+w-lw), x0+w
		}
		lane := 0
		for lane < len(laneEnd) && laneEnd[lane]+tlGap > left {
			lane++
		}
		if lane == len(laneEnd) {
			laneEnd = append(laneEnd, 0)
		}
		laneEnd[lane] = right
		top := float64(tlTop + lane*tlLaneH)
		c.add(text(lx, top+11, label, "value", anchor))
		tip := fmt.Sprintf("segment %d: %s–%s s (%s s)", i+1, formatNum(s[0], 3), formatNum(s[1], 3), formatNum(s[1]-s[0], 3))
		c.mark(rect(x0, top+tlBarY, w, tlBarH, palette[0], tip))
	}
	return max(1, len(laneEnd))
}

// drawFrames draws a tick per finite frame timestamp (evenly spaced ones beyond
// maxFrameTicks) from y down.
func (tl *Timeline) drawFrames(c *canvas, x linear, y float64) {
	n := len(tl.FrameTimesSec)
	if n == 0 {
		return
	}
	shown := min(n, maxFrameTicks)
	for i := range shown {
		f := tl.FrameTimesSec[i*n/shown]
		if finite(f) {
			c.add(line(x.at(f), y, x.at(f), y+tlTickH, "frame"))
		}
	}
	if shown < n {
		c.note(fmt.Sprintf("%d of the %d frame timestamps drawn (evenly spaced)", shown, n))
	}
}
