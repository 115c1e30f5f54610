package report

import (
	"fmt"
	"math"
)

// BarSeries is one named series of a bar chart: one value per category.
type BarSeries struct {
	// Name appears in the legend and tooltips.
	Name string
	// Values has one value per category; missing values count as 0 and
	// NaN or infinite values are drawn as 0 and reported in a note.
	Values []float64
	// Color overrides the palette colour, e.g. "#1a7f37".
	Color string
}

// BarChart draws horizontal bars, one row per category, with the series
// side by side (grouped) or end to end (Stacked). Every (category, series)
// pair is one mark, zero values included (drawn with zero length and a "0"
// label). Without categories or series it shows "no data". In stacked mode
// negative values are not drawn and are reported in a note.
type BarChart struct {
	// ID is the chart's data-chart id; derived from Title when empty.
	ID string
	// Title is the figure caption.
	Title string
	// Categories label the rows, top to bottom.
	Categories []string
	// Series are the bars of each row.
	Series []BarSeries
	// Stacked stacks the series in each row instead of grouping them.
	Stacked bool
	// Percent treats values as fractions and labels them as percentages.
	Percent bool
	// ValueLabel names the value axis.
	ValueLabel string
}

func (b *BarChart) view() blockView { return blockView{Chart: b.figure()} }

// value returns series s's value for category i and whether it was usable.
func (b *BarChart) value(s, i int) (float64, bool) {
	vs := b.Series[s].Values
	if i >= len(vs) {
		return 0, true
	}
	v := vs[i]
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// label formats a value for the bar end and tooltip.
func (b *BarChart) label(v float64) string {
	if b.Percent {
		return formatPercent(v)
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return formatCount(int64(v))
	}
	return formatNum(v, 3)
}

// figure draws the bar chart.
func (b *BarChart) figure() *figure {
	c := newCanvas(b.ID, "bar", b.Title, plotW, plotH)
	if len(b.Categories) == 0 || len(b.Series) == 0 {
		return c.noData("")
	}
	d := b.domain()
	g := b.geometry(d)
	c.fig.Height = int(math.Ceil(g.height))
	xt, dec := ticks(d.lo, d.hi, 5)
	for _, v := range xt {
		xx := g.x.at(v)
		c.add(line(xx, g.top-4, xx, g.base, "grid"))
		c.add(text(xx, g.base+16, b.tickLabel(v, dec), "tick", "middle"))
	}
	colours := make([]string, len(b.Series))
	for s := range b.Series {
		colours[s] = colour(s, b.Series[s].Color)
	}
	names := namesOf(b.Series)
	for i := range b.Categories {
		b.drawRow(c, g, i, names, colours)
	}
	c.add(line(g.x.at(0), g.top-4, g.x.at(0), g.base, "axis"))
	c.add(line(g.left, g.base, g.right, g.base, "axis"))
	if b.ValueLabel != "" {
		c.add(text((g.left+g.right)/2, g.height-6, b.ValueLabel, "axis-label", "middle"))
	}
	if g.legend {
		c.legend(names, colours, 8, plotW-marR, 14)
	}
	if d.bad > 0 {
		c.note(fmt.Sprintf("%d non-finite values drawn as 0", d.bad))
	}
	if d.negative > 0 {
		c.note(fmt.Sprintf("%d negative values not drawn in stacked bars", d.negative))
	}
	return c.fig
}

// barDomain is the value range a bar chart's axis spans, and the values it cannot draw.
type barDomain struct {
	lo, hi        float64
	bad, negative int // non-finite values; negative values in stacked mode
}

// domain returns the axis range: from 0 (or the rounded lowest value) to the rounded
// highest value or stacked total; [0, 1] for percentages within it, [0, 1] with no data.
func (b *BarChart) domain() barDomain {
	var d barDomain
	for i := range b.Categories {
		total := 0.0
		for s := range b.Series {
			v, ok := b.value(s, i)
			if !ok {
				d.bad++
			}
			if b.Stacked {
				if v < 0 {
					d.negative++
					continue
				}
				total += v
			} else {
				d.lo, d.hi = math.Min(d.lo, v), math.Max(d.hi, v)
			}
		}
		d.hi = math.Max(d.hi, total)
	}
	if d.hi == 0 && d.lo == 0 {
		d.hi = 1
	}
	if b.Percent && d.hi <= 1 && d.lo >= 0 {
		d.hi = 1
	} else {
		d.hi = niceCeil(d.hi, 5)
		if d.lo < 0 {
			d.lo = -niceCeil(-d.lo, 5)
		}
	}
	return d
}

// barGeometry places a bar chart's rows: the value axis x, the category label column
// (left), the band each category takes and the height of one bar.
type barGeometry struct {
	x                 linear
	left, right       float64
	top, base, height float64
	band, barH        float64
	legend            bool
}

func (b *BarChart) geometry(d barDomain) barGeometry {
	labelW := 0.0
	for _, cat := range b.Categories {
		labelW = math.Max(labelW, textWidth(truncate(cat, 28)))
	}
	g := barGeometry{left: math.Min(190, labelW) + 16, barH: 18, top: float64(marT)}
	g.band = g.barH + 10
	if !b.Stacked {
		g.barH = 14
		g.band = g.barH*float64(len(b.Series)) + 10
	}
	g.legend = len(b.Series) > 1 || b.Series[0].Name != ""
	if g.legend {
		_, _, rows := legendLayout(namesOf(b.Series), 8, plotW-marR)
		g.top += 16 * float64(rows-1)
	}
	g.height = g.top + g.band*float64(len(b.Categories)) + marB
	g.base = g.height - marB
	g.right = float64(plotW - marR - 36)
	g.x = linear{d.lo, d.hi, g.left, g.right}
	return g
}

// drawRow draws category i: its label and one bar per series, grouped or stacked.
func (b *BarChart) drawRow(c *canvas, g barGeometry, i int, names, colours []string) {
	cat := b.Categories[i]
	y0 := g.top + g.band*float64(i) + 5
	cy := y0 + (g.band-10)/2
	c.add(text(g.left-6, cy+4, truncate(cat, 28), "category", "end"))
	end := g.x.at(0)
	total := 0.0
	for s := range b.Series {
		v, _ := b.value(s, i)
		tip := fmt.Sprintf("%s · %s: %s", cat, names[s], b.label(v))
		if b.Stacked {
			if v < 0 {
				continue
			}
			x0, x1 := g.x.at(total), g.x.at(total+v)
			c.mark(rect(x0, y0, x1-x0, g.barH, colours[s], tip))
			total += v
			end = x1
			continue
		}
		yy := y0 + g.barH*float64(s)
		x0, x1 := g.x.at(0), g.x.at(v)
		c.mark(rect(x0, yy, x1-x0, g.barH-1, colours[s], tip))
		c.add(text(math.Max(x0, x1)+4, yy+g.barH-4, b.label(v), "value", "start"))
	}
	if b.Stacked {
		c.add(text(end+4, y0+g.barH-5, b.label(total), "value", "start"))
	}
}

// tickLabel formats an axis tick.
func (b *BarChart) tickLabel(v float64, dec int) string {
	if b.Percent {
		return formatNum(v*100, max(0, dec-2)) + "%"
	}
	return tickText(v, dec)
}

// namesOf returns the series names, "series N" where a name is empty.
func namesOf(series []BarSeries) []string {
	names := make([]string, len(series))
	for i, s := range series {
		names[i] = defaultStr(s.Name, fmt.Sprintf("series %d", i+1))
	}
	return names
}
