package report

import (
	"fmt"
	"math"
)

// Threshold is a vertical marker drawn across a histogram, e.g. the margin
// above which samples were selected.
type Threshold struct {
	// Value is the x position of the marker.
	Value float64
	// Label names the marker, e.g. "selection threshold"; default "threshold".
	Label string
}

// Histogram counts Values into equal-width bins. NaN and infinite values are
// not drawn and are reported in a note. With no finite values it shows
// "no data". Only non-empty bins are drawn; each is one mark.
type Histogram struct {
	// ID is the chart's data-chart id; derived from Title when empty.
	ID string
	// Title is the figure caption.
	Title string
	// XLabel and YLabel name the axes; YLabel defaults to "count".
	XLabel, YLabel string
	// Values are the observations.
	Values []float64
	// Bins is the number of bins; 0 picks Sturges' rule, clamped to [5, 40].
	Bins int
	// Lo and Hi fix the x range when Lo < Hi (e.g. 0 and 1 for rewards);
	// values outside are not drawn and are reported in a note. Otherwise
	// the range is the data's (widened by 0.5 each side if all are equal).
	Lo, Hi float64
	// Integer puts one bin on each whole number when the values span at
	// most 60 of them (e.g. segments per sample).
	Integer bool
	// Threshold, when set, draws a dashed vertical marker and notes how many
	// values are at or above it.
	Threshold *Threshold
}

const (
	plotW  = 560
	plotH  = 300
	marL   = 60
	marR   = 18
	marT   = 30
	marB   = 46
	nTicks = 6
)

func (h *Histogram) view() blockView { return blockView{Chart: h.figure()} }

// figure draws the histogram.
func (h *Histogram) figure() *figure {
	c := newCanvas(h.ID, "histogram", h.Title, plotW, plotH)
	st := summarize(h.Values)
	if st.N == 0 {
		why := ""
		if st.NonFinite > 0 {
			why = fmt.Sprintf("%d non-finite values skipped", st.NonFinite)
		}
		return c.noData(why)
	}
	bn := h.binning(st)
	counts, outside := h.count(bn)
	maxCount := 0
	for _, n := range counts {
		maxCount = max(maxCount, n)
	}
	yTop := math.Max(niceCeil(float64(maxCount), 5), float64(maxCount))
	x := linear{bn.lo, bn.hi, marL, plotW - marR}
	y := linear{0, yTop, plotH - marB, marT}

	c.gridY(intTicks(0, yTop, 5), 0, y)
	h.drawBins(c, bn, counts, x, y)
	var xt []float64
	dec := 0
	if bn.integer {
		xt = intTicks(bn.lo+0.5, bn.hi-0.5, nTicks)
	} else {
		xt, dec = ticks(bn.lo, bn.hi, nTicks)
	}
	c.axes(x, y, xt, dec, h.XLabel, defaultStr(h.YLabel, "count"))
	if t := h.Threshold; t != nil && !math.IsNaN(t.Value) && !math.IsInf(t.Value, 0) {
		h.drawThreshold(c, *t, bn, x, st.N)
	}
	c.note(describe(st))
	if outside > 0 {
		c.note(fmt.Sprintf("%d values outside [%s, %s] not drawn", outside, formatNum(bn.lo, 4), formatNum(bn.hi, 4)))
	}
	if st.NonFinite > 0 {
		c.note(fmt.Sprintf("%d non-finite values skipped", st.NonFinite))
	}
	return c.fig
}

// binning is a histogram's x range and its equal-width bins.
type binning struct {
	lo, hi  float64
	bins    int
	integer bool // one bin per whole number, centred on it
}

func (b binning) width() float64 { return (b.hi - b.lo) / float64(b.bins) }

// binning returns the x range (the data's, Lo..Hi when fixed, widened to show the
// threshold) and the bins: one per whole number for Integer data spanning at most 60,
// else Bins, else Sturges' rule clamped to [5, 40].
func (h *Histogram) binning(st summary) binning {
	lo, hi := st.Min, st.Max
	fixed := h.Lo < h.Hi
	if fixed {
		lo, hi = h.Lo, h.Hi
	}
	if h.Threshold != nil && !fixed && !math.IsNaN(h.Threshold.Value) && !math.IsInf(h.Threshold.Value, 0) {
		lo, hi = math.Min(lo, h.Threshold.Value), math.Max(hi, h.Threshold.Value)
	}
	b := binning{bins: h.Bins, integer: h.Integer && math.Trunc(lo) == lo && hi-lo <= 60}
	if b.integer {
		lo, hi = lo-0.5, hi+0.5
		b.bins = int(hi - lo)
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	if b.bins <= 0 {
		b.bins = int(math.Ceil(math.Log2(float64(st.N)))) + 1
		b.bins = max(5, min(40, b.bins))
	}
	b.lo, b.hi = lo, hi
	return b
}

// count returns the number of finite values in each bin and how many fall outside.
func (h *Histogram) count(b binning) (counts []int, outside int) {
	counts = make([]int, b.bins)
	width := b.width()
	for _, v := range h.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if v < b.lo || v > b.hi {
			outside++
			continue
		}
		i := int((v - b.lo) / width)
		if i >= b.bins {
			i = b.bins - 1
		}
		counts[i]++
	}
	return counts, outside
}

// drawBins draws one bar per non-empty bin, at least one pixel wide.
func (h *Histogram) drawBins(c *canvas, b binning, counts []int, x, y linear) {
	width := b.width()
	for i, n := range counts {
		if n == 0 {
			continue
		}
		a, z := b.lo+float64(i)*width, b.lo+float64(i+1)*width
		tip := fmt.Sprintf("[%s, %s): %d", formatNum(a, 4), formatNum(z, 4), n)
		if b.integer {
			tip = fmt.Sprintf("%s: %d", formatNum(a+0.5, 0), n)
		}
		x0, x1 := x.at(a)+0.5, x.at(z)-0.5
		if x1-x0 < 1 {
			x1 = x0 + 1
		}
		c.mark(rect(x0, y.at(float64(n)), x1-x0, y.at(0)-y.at(float64(n)), palette[0], tip))
	}
}

// drawThreshold draws the threshold marker (or notes that it lies off the axis) and
// notes how many of the n finite values lie at or above it.
func (h *Histogram) drawThreshold(c *canvas, t Threshold, b binning, x linear, n int) {
	label := defaultStr(t.Label, "threshold")
	at := 0
	for _, v := range h.Values {
		if v >= t.Value && !math.IsInf(v, 0) {
			at++
		}
	}
	if t.Value >= b.lo && t.Value <= b.hi {
		tx := x.at(t.Value)
		c.add(line(tx, marT-4, tx, plotH-marB, "threshold"))
		anchor := "start"
		lx := tx + 4
		if tx > plotW*0.6 {
			anchor, lx = "end", tx-4
		}
		c.add(text(lx, marT-8, fmt.Sprintf("%s = %s", label, formatNum(t.Value, 4)), "threshold-label", anchor))
	} else {
		c.note(fmt.Sprintf("%s = %s lies outside the axis range", label, formatNum(t.Value, 4)))
	}
	c.note(fmt.Sprintf("%s %s: %s of %s values (%s) at or above",
		label, formatNum(t.Value, 4), formatCount(int64(at)), formatCount(int64(n)), formatPercent(float64(at)/float64(n))))
}

// describe prints a summary in one line.
func describe(s summary) string {
	return fmt.Sprintf("n = %s · mean %s · median %s · min %s · max %s",
		formatCount(int64(s.N)), formatNum(s.Mean, 3), formatNum(s.Median, 3), formatNum(s.Min, 3), formatNum(s.Max, 3))
}

// defaultStr returns s, or d when s is empty.
func defaultStr(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// gridY draws horizontal grid lines and left tick labels for the y ticks.
func (c *canvas) gridY(yt []float64, dec int, y linear) {
	for _, v := range yt {
		yy := y.at(v)
		c.add(line(marL, yy, plotW-marR, yy, "grid"))
		c.add(text(marL-6, yy+4, tickText(v, dec), "tick", "end"))
	}
}

// axes draws both axis lines, x tick labels and the axis titles.
func (c *canvas) axes(x, y linear, xt []float64, dec int, xLabel, yLabel string) {
	base := y.r0
	c.add(line(marL, base, plotW-marR, base, "axis"))
	c.add(line(marL, y.r1-4, marL, base, "axis"))
	for _, v := range xt {
		xx := x.at(v)
		c.add(line(xx, base, xx, base+4, "axis"))
		c.add(text(xx, base+16, tickText(v, dec), "tick", "middle"))
	}
	if xLabel != "" {
		c.add(text((marL+plotW-marR)/2, base+40, xLabel, "axis-label", "middle"))
	}
	if yLabel != "" {
		mid := (y.r1 + base) / 2
		s := text(14, mid, yLabel, "axis-label", "middle")
		s.Transform = fmt.Sprintf("rotate(-90 14 %s)", px(mid))
		c.add(s)
	}
}
