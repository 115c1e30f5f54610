package report

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Point is one (x, y) observation of a series.
type Point struct {
	X, Y float64
}

// Series is one named line of a LinePlot.
type Series struct {
	// Name appears in the legend and tooltips.
	Name string
	// Points are drawn in order of X (ties keep their given order).
	Points []Point
	// Color overrides the palette colour.
	Color string
}

// LinePlot draws several series as lines (or steps) with a dot per point;
// each dot is one mark. Points with a NaN or infinite coordinate are not
// drawn and are reported in a note. Without any finite point it shows
// "no data".
type LinePlot struct {
	// ID is the chart's data-chart id; derived from Title when empty.
	ID string
	// Title is the figure caption.
	Title string
	// XLabel and YLabel name the axes.
	XLabel, YLabel string
	// Series are the lines.
	Series []Series
	// Step draws each value as holding until the next point (a step
	// function), e.g. a reference level that changes on promotion.
	Step bool
	// XEnd, when above a series' last X, extends a step series' last value
	// to XEnd (e.g. the last training step); it adds no marks.
	XEnd float64
	// IntegerY puts y ticks on whole numbers only (e.g. reference levels).
	IntegerY bool
}

func (l *LinePlot) view() blockView { return blockView{Chart: l.figure()} }

// figure draws the line plot.
func (l *LinePlot) figure() *figure {
	c := newCanvas(l.ID, "line", l.Title, plotW, plotH)
	clean, r, skipped := l.finitePoints()
	if r.n == 0 {
		why := ""
		if skipped > 0 {
			why = fmt.Sprintf("%d non-finite points skipped", skipped)
		}
		return c.noData(why)
	}
	r = l.pad(r)
	names := make([]string, len(l.Series))
	colours := make([]string, len(l.Series))
	for i, s := range l.Series {
		names[i] = defaultStr(s.Name, fmt.Sprintf("series %d", i+1))
		colours[i] = colour(i, s.Color)
	}
	top := float64(marT)
	_, _, rows := legendLayout(names, marL, plotW-marR)
	top += 16 * float64(rows-1)
	c.fig.Height = plotH + int(top-marT)
	base := float64(c.fig.Height - marB)
	x := linear{r.xlo, r.xhi, marL, plotW - marR}
	y := linear{r.ylo, r.yhi, base, top}

	var yt []float64
	ydec := 0
	if l.IntegerY {
		yt = intTicks(r.ylo, r.yhi, 6)
	} else {
		yt, ydec = ticks(r.ylo, r.yhi, 5)
	}
	for _, v := range yt {
		yy := y.at(v)
		c.add(line(marL, yy, plotW-marR, yy, "grid"))
		c.add(text(marL-6, yy+4, tickText(v, ydec), "tick", "end"))
	}
	l.drawSeries(c, clean, names, colours, x, y)
	xt, xdec := ticks(r.xlo, r.xhi, nTicks)
	c.axes(x, y, xt, xdec, l.XLabel, l.YLabel)
	c.legend(names, colours, marL, plotW-marR, 16)
	if skipped > 0 {
		c.note(fmt.Sprintf("%d non-finite points skipped", skipped))
	}
	return c.fig
}

// plotRange is the extent of a line plot's points (n of them).
type plotRange struct {
	xlo, xhi, ylo, yhi float64
	n                  int
}

// finitePoints returns each series' finite points sorted by x, their range, and how
// many non-finite points were skipped.
func (l *LinePlot) finitePoints() ([][]Point, plotRange, int) {
	clean := make([][]Point, len(l.Series))
	skipped := 0
	r := plotRange{xlo: math.Inf(1), xhi: math.Inf(-1), ylo: math.Inf(1), yhi: math.Inf(-1)}
	for i, s := range l.Series {
		for _, p := range s.Points {
			if !finite(p.X) || !finite(p.Y) {
				skipped++
				continue
			}
			clean[i] = append(clean[i], p)
			r.xlo, r.xhi = math.Min(r.xlo, p.X), math.Max(r.xhi, p.X)
			r.ylo, r.yhi = math.Min(r.ylo, p.Y), math.Max(r.yhi, p.Y)
			r.n++
		}
		sort.SliceStable(clean[i], func(a, b int) bool { return clean[i][a].X < clean[i][b].X })
	}
	return clean, r, skipped
}

// pad widens the range for drawing: x to XEnd for step plots and around a single x;
// y to whole numbers (IntegerY) or by 5% of its span.
func (l *LinePlot) pad(r plotRange) plotRange {
	if l.Step && finite(l.XEnd) && l.XEnd > r.xhi {
		r.xhi = l.XEnd
	}
	if r.xlo == r.xhi {
		r.xlo, r.xhi = r.xlo-0.5, r.xhi+0.5
	}
	if l.IntegerY {
		r.ylo, r.yhi = math.Floor(r.ylo), math.Ceil(r.yhi)
		r.ylo, r.yhi = r.ylo-0.3, r.yhi+0.3
		return r
	}
	p := (r.yhi - r.ylo) * 0.05
	if p == 0 {
		p = 0.5
	}
	r.ylo, r.yhi = r.ylo-p, r.yhi+p
	return r
}

// drawSeries draws each series as a path (steps when Step, extended to XEnd) and its
// points as marks with tooltips.
func (l *LinePlot) drawSeries(c *canvas, clean [][]Point, names, colours []string, x, y linear) {
	for i, pts := range clean {
		if len(pts) == 0 {
			continue
		}
		var d strings.Builder
		for j, p := range pts {
			switch {
			case j == 0:
				fmt.Fprintf(&d, "M%s %s", px(x.at(p.X)), px(y.at(p.Y)))
			case l.Step:
				fmt.Fprintf(&d, " H%s V%s", px(x.at(p.X)), px(y.at(p.Y)))
			default:
				fmt.Fprintf(&d, " L%s %s", px(x.at(p.X)), px(y.at(p.Y)))
			}
		}
		if last := pts[len(pts)-1]; l.Step && l.XEnd > last.X && finite(l.XEnd) {
			fmt.Fprintf(&d, " H%s", px(x.at(l.XEnd)))
		}
		c.add(shape{Kind: "path", D: d.String(), Class: "series", Stroke: colours[i]})
	}
	for i, pts := range clean {
		for _, p := range pts {
			tip := fmt.Sprintf("%s: (%s, %s)", names[i], formatNum(p.X, 4), formatNum(p.Y, 4))
			c.mark(shape{Kind: "circle", X: px(x.at(p.X)), Y: px(y.at(p.Y)), R: "3", Fill: colours[i], Title: tip})
		}
	}
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
