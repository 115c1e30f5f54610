package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
)

// chartInfo is what the tests learn about one [data-chart] element.
type chartInfo struct {
	ID     string
	Points int
	Empty  bool
	Marks  int
	Text   string
}

// pageInfo is what the tests learn about a page.
type pageInfo struct {
	Charts     []chartInfo
	Text       string
	Accounting []string // data-accounting values in document order
	Sections   []string // h2 texts in document order
	Links      []string // href values
	Elements   map[string]int
	Attrs      map[string]int
}

// parsePage parses an HTML page (ours or Chromium's DOM dump) with the
// lenient XML decoder and collects charts, marks and text.
func parsePage(t *testing.T, page []byte) pageInfo {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	info := pageInfo{Elements: map[string]int{}, Attrs: map[string]int{}}
	var text strings.Builder
	type open struct {
		name  string
		chart int // index into info.Charts, or -1
		h2    bool
	}
	var stack []open
	var h2 strings.Builder
	inChart := func() int {
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i].chart >= 0 {
				return stack[i].chart
			}
		}
		return -1
	}
	inH2 := func() bool {
		for _, o := range stack {
			if o.h2 {
				return true
			}
		}
		return false
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("parse page: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			o := open{name: strings.ToLower(tok.Name.Local), chart: -1, h2: strings.EqualFold(tok.Name.Local, "h2")}
			info.Elements[o.name]++
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				attrs[strings.ToLower(a.Name.Local)] = a.Value
				info.Attrs[strings.ToLower(a.Name.Local)]++
			}
			if c := inChart(); c >= 0 && hasClass(attrs["class"], "mark") {
				info.Charts[c].Marks++
			}
			if id, ok := attrs["data-chart"]; ok {
				n, err := strconv.Atoi(attrs["data-points"])
				if err != nil {
					t.Fatalf("chart %q: data-points %q: %v", id, attrs["data-points"], err)
				}
				info.Charts = append(info.Charts, chartInfo{ID: id, Points: n, Empty: attrs["data-empty"] == "true"})
				o.chart = len(info.Charts) - 1
			}
			if v, ok := attrs["data-accounting"]; ok {
				info.Accounting = append(info.Accounting, v)
			}
			if v, ok := attrs["href"]; ok {
				info.Links = append(info.Links, v)
			}
			if o.h2 {
				h2.Reset()
			}
			stack = append(stack, o)
		case xml.EndElement:
			name := strings.ToLower(tok.Name.Local)
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i].name == name {
					if stack[i].h2 {
						info.Sections = append(info.Sections, strings.TrimSpace(h2.String()))
					}
					stack = stack[:i]
					break
				}
			}
		case xml.CharData:
			text.Write(tok)
			if c := inChart(); c >= 0 {
				info.Charts[c].Text += string(tok)
			}
			if inH2() {
				h2.Write(tok)
			}
		}
	}
	info.Text = text.String()
	return info
}

// hasClass reports whether the class attribute value lists name.
func hasClass(attr, name string) bool {
	for _, c := range strings.Fields(attr) {
		if c == name {
			return true
		}
	}
	return false
}

// render renders r and fails the test on error.
func render(t *testing.T, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := r.Render(&b); err != nil {
		t.Fatalf("render: %v", err)
	}
	return b.Bytes()
}

// checkCharts fails unless every chart drew data and has as many marks as
// its data-points say, and chart IDs are unique.
func checkCharts(t *testing.T, name string, charts []chartInfo) {
	t.Helper()
	if len(charts) == 0 {
		t.Errorf("%s: no charts", name)
	}
	seen := map[string]bool{}
	for _, c := range charts {
		if seen[c.ID] {
			t.Errorf("%s: duplicate chart id %q", name, c.ID)
		}
		seen[c.ID] = true
		if c.Points <= 0 || c.Empty {
			t.Errorf("%s: chart %q drew no data (data-points=%d, empty=%v)", name, c.ID, c.Points, c.Empty)
		}
		if c.Marks != c.Points {
			t.Errorf("%s: chart %q has %d marks, data-points says %d", name, c.ID, c.Marks, c.Points)
		}
	}
}

// describeCharts lists charts for failure messages.
func describeCharts(cs []chartInfo) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s(%d/%d) ", c.ID, c.Marks, c.Points)
	}
	return b.String()
}
