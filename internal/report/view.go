package report

// pageView is what the page template draws.
type pageView struct {
	Title      string
	Subtitle   string
	Accounting accountingView
	Sections   []sectionView
}

// sectionView is one rendered section.
type sectionView struct {
	Title  string
	Blocks []blockView
}

// blockView holds exactly one of its fields.
type blockView struct {
	Text   string
	Table  *tableView
	Chart  *figure
	Thumbs *thumbsView
}

// tableView is a table ready to draw.
type tableView struct {
	Caption string
	Header  []string
	Rows    [][]cellView
}

// cellView is one table cell; Num right-aligns it.
type cellView struct {
	Text string
	Num  bool
}

// figure is a chart reduced to SVG primitives.
type figure struct {
	ID     string
	Kind   string
	Title  string
	Notes  []string
	Points int
	Empty  bool
	Width  int
	Height int
	Shapes []shape
}

// shape is one SVG primitive; Kind is "rect", "line", "path", "circle" or
// "text". Coordinates are preformatted strings so the output is stable.
type shape struct {
	Kind      string
	X, Y      string
	W, H      string
	X2, Y2    string
	R         string
	D         string
	Class     string
	Fill      string
	Stroke    string
	Text      string
	Anchor    string
	Transform string
	Title     string
}
