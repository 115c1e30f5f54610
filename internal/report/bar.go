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
	nc, ns := len(b.Categories), len(b.Series)
	lo, hi := 0.0, 0.0
	bad, negative := 0, 0
	for i := 0; i < nc; i++ {
		total := 0.0
		for s := 0; s < ns; s++ {
			v, ok := b.value(s, i)
			if !ok {
				bad++
			}
			if b.Stacked {
				if v < 0 {
					negative++
					continue
				}
				total += v
			} else {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		hi = math.Max(hi, total)
	}
	if hi == 0 && lo == 0 {
		hi = 1
	}
	if b.Percent && hi <= 1 && lo >= 0 {
		hi = 1
	} else {
		hi = niceCeil(hi, 5)
		if lo < 0 {
			lo = -niceCeil(-lo, 5)
		}
	}

	labelW := 0.0
	for _, cat := range b.Categories {
		labelW = math.Max(labelW, textWidth(truncate(cat, 28)))
	}
	left := math.Min(190, labelW) + 16
	barH := 18.0
	band := barH + 10
	if !b.Stacked {
		barH = 14
		band = barH*float64(ns) + 10
	}
	top := float64(marT)
	showLegend := ns > 1 || b.Series[0].Name != ""
	if showLegend {
		_, _, rows := legendLayout(namesOf(b.Series), 8, plotW-marR)
		top += 16 * float64(rows-1)
	}
	height := top + band*float64(nc) + marB
	c.fig.Height = int(math.Ceil(height))
	base := height - marB
	right := float64(plotW - marR - 36)
	x := linear{lo, hi, left, right}

	xt, dec := ticks(lo, hi, 5)
	for _, v := range xt {
		xx := x.at(v)
		c.add(line(xx, top-4, xx, base, "grid"))
		c.add(text(xx, base+16, b.tickLabel(v, dec), "tick", "middle"))
	}
	colours := make([]string, ns)
	for s := range b.Series {
		colours[s] = colour(s, b.Series[s].Color)
	}
	names := namesOf(b.Series)
	for i, cat := range b.Categories {
		y0 := top + band*float64(i) + 5
		cy := y0 + (band-10)/2
		c.add(text(left-6, cy+4, truncate(cat, 28), "category", "end"))
		end := x.at(0)
		total := 0.0
		for s := 0; s < ns; s++ {
			v, _ := b.value(s, i)
			tip := fmt.Sprintf("%s · %s: %s", cat, names[s], b.label(v))
			if b.Stacked {
				if v < 0 {
					continue
				}
				x0, x1 := x.at(total), x.at(total+v)
				c.mark(rect(x0, y0, x1-x0, barH, colours[s], tip))
				total += v
				end = x1
				continue
			}
			yy := y0 + barH*float64(s)
			x0, x1 := x.at(0), x.at(v)
			c.mark(rect(x0, yy, x1-x0, barH-1, colours[s], tip))
			c.add(text(math.Max(x0, x1)+4, yy+barH-4, b.label(v), "value", "start"))
		}
		if b.Stacked {
			c.add(text(end+4, y0+barH-5, b.label(total), "value", "start"))
		}
	}
	c.add(line(x.at(0), top-4, x.at(0), base, "axis"))
	c.add(line(left, base, right, base, "axis"))
	if b.ValueLabel != "" {
		c.add(text((left+right)/2, height-6, b.ValueLabel, "axis-label", "middle"))
	}
	if showLegend {
		c.legend(names, colours, 8, plotW-marR, 14)
	}
	if bad > 0 {
		c.note(fmt.Sprintf("%d non-finite values drawn as 0", bad))
	}
	if negative > 0 {
		c.note(fmt.Sprintf("%d negative values not drawn in stacked bars", negative))
	}
	return c.fig
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
