package report

// palette is the Okabe-Ito colour-blind-safe palette (yellow left out for
// contrast on white).
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#999999"}

// colour returns c when it is a safe colour ("#" and 3, 6 or 8 hex digits,
// or a plain colour name of letters), else the i-th palette colour.
func colour(i int, c string) string {
	if safeColour(c) {
		return c
	}
	return palette[i%len(palette)]
}

// safeColour reports whether c is a hex colour or a name of ASCII letters,
// so that no colour can reference a URL.
func safeColour(c string) bool {
	if c == "" || len(c) > 20 {
		return false
	}
	if c[0] == '#' {
		if n := len(c) - 1; n != 3 && n != 6 && n != 8 {
			return false
		}
		for _, r := range c[1:] {
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
				return false
			}
		}
		return true
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// canvas collects the shapes of one figure and counts its data marks.
type canvas struct {
	fig *figure
}

// newCanvas starts a figure of the given size.
func newCanvas(id, kind, title string, width, height int) *canvas {
	return &canvas{fig: &figure{ID: id, Kind: kind, Title: title, Width: width, Height: height}}
}

// add appends a non-data shape.
func (c *canvas) add(s shape) { c.fig.Shapes = append(c.fig.Shapes, s) }

// mark appends a data shape: its class gets "mark" and it is counted.
func (c *canvas) mark(s shape) {
	if s.Class == "" {
		s.Class = "mark"
	} else {
		s.Class = "mark " + s.Class
	}
	c.fig.Points++
	c.add(s)
}

// rect returns a rectangle shape.
func rect(x, y, w, h float64, fill, title string) shape {
	if w < 0 {
		x, w = x+w, -w
	}
	if h < 0 {
		y, h = y+h, -h
	}
	return shape{Kind: "rect", X: px(x), Y: px(y), W: px(w), H: px(h), Fill: fill, Title: title}
}

// line returns a line shape with the given class.
func line(x1, y1, x2, y2 float64, class string) shape {
	return shape{Kind: "line", X: px(x1), Y: px(y1), X2: px(x2), Y2: px(y2), Class: class}
}

// text returns a text shape with the given class and anchor.
func text(x, y float64, s, class, anchor string) shape {
	return shape{Kind: "text", X: px(x), Y: px(y), Text: s, Class: class, Anchor: anchor}
}

// note appends a note line under the figure.
func (c *canvas) note(s string) { c.fig.Notes = append(c.fig.Notes, s) }

// noData turns the figure into the "no data" placeholder.
func (c *canvas) noData(why string) *figure {
	c.fig.Shapes = nil
	c.fig.Points = 0
	c.fig.Empty = true
	c.fig.Height = 80
	c.add(text(float64(c.fig.Width)/2, 46, "no data", "nodata", "middle"))
	if why != "" {
		c.note(why)
	}
	return c.fig
}

// legendLayout places legend entries left to right from x0, wrapping
// before xMax; it returns each entry's x and row, and the number of rows.
func legendLayout(names []string, x0, xMax float64) (xs []float64, rows []int, n int) {
	x, row := x0, 0
	for _, name := range names {
		w := 18 + textWidth(name) + 12
		if x > x0 && x+w > xMax {
			x, row = x0, row+1
		}
		xs = append(xs, x)
		rows = append(rows, row)
		x += w
	}
	return xs, rows, row + 1
}

// legend draws a swatch and label per name in rows of 16px starting at
// baseline y; it returns the height used.
func (c *canvas) legend(names, colours []string, x0, xMax, y float64) float64 {
	xs, rows, n := legendLayout(names, x0, xMax)
	for i, name := range names {
		yy := y + 16*float64(rows[i])
		c.add(shape{Kind: "rect", X: px(xs[i]), Y: px(yy - 10), W: "12", H: "12", Fill: colours[i], Class: "legend"})
		c.add(text(xs[i]+16, yy, name, "legend-label", "start"))
	}
	return 16 * float64(n)
}

// textWidth estimates the width in pixels of s at the 11px plot font.
func textWidth(s string) float64 {
	return float64(len([]rune(s))) * 6.2
}

// truncate shortens s to at most n runes, ending in "…" when cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
