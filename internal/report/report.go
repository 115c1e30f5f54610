package report

import (
	"fmt"
	"io"
)

// Report is one run report page. Accounting is always rendered first; the
// Sections follow in order. A Report with no Sections still renders the
// accounting.
type Report struct {
	// Title is the page title, e.g. "writing select".
	Title string
	// Subtitle is an optional line under the title, e.g. the output prefix.
	Subtitle string
	// Accounting is the manifest's record accounting and dead letters.
	Accounting Accounting
	// Sections are the job-specific parts of the report.
	Sections []Section
}

// Section is a titled group of blocks. Blocks render in order; charts in a
// row wrap to the page width.
type Section struct {
	// Title is the section heading.
	Title string
	// Blocks are the contents: *Table, *Histogram, *BarChart, *LinePlot, Text.
	Blocks []Block
}

// Block is one piece of section content. It is implemented by *Table,
// *Histogram, *BarChart, *LinePlot and Text only.
type Block interface {
	// view converts the block into what the page template draws.
	view() blockView
}

// Text is a paragraph of plain text (escaped on output).
type Text string

func (t Text) view() blockView { return blockView{Text: string(t)} }

// Render writes the report as one self-contained HTML page to w. Charts
// without an ID get one derived from their title; IDs are made unique within
// the page by suffixes "-2", "-3", ... in order of appearance. The only
// errors are those of w.
func (r *Report) Render(w io.Writer) error {
	page := r.page()
	if err := pageTemplate.Execute(w, page); err != nil {
		return fmt.Errorf("render report %q: %w", r.Title, err)
	}
	return nil
}

// page builds the template view of r, assigning unique chart IDs.
func (r *Report) page() pageView {
	ids := map[string]int{}
	p := pageView{
		Title:      r.Title,
		Subtitle:   r.Subtitle,
		Accounting: r.Accounting.view(),
	}
	for _, s := range r.Sections {
		sv := sectionView{Title: s.Title}
		for _, b := range s.Blocks {
			if b == nil {
				continue
			}
			bv := b.view()
			if bv.Chart != nil {
				bv.Chart.ID = uniqueID(ids, bv.Chart.ID, bv.Chart.Title)
			}
			sv.Blocks = append(sv.Blocks, bv)
		}
		p.Sections = append(p.Sections, sv)
	}
	return p
}

// uniqueID returns id (or a slug of title when id is empty), suffixed so that
// it has not been returned before for the same seen map.
func uniqueID(seen map[string]int, id, title string) string {
	base := slug(id)
	if base == "" {
		base = slug(title)
	}
	if base == "" {
		base = "chart"
	}
	seen[base]++
	if n := seen[base]; n > 1 {
		return fmt.Sprintf("%s-%d", base, n)
	}
	return base
}

// slug lowercases s and keeps ASCII letters and digits, joining runs of
// anything else with single dashes.
func slug(s string) string {
	out := make([]byte, 0, len(s))
	dash := false
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			out = append(out, c)
			dash = false
		case c >= 'A' && c <= 'Z':
			out = append(out, c+'a'-'A')
			dash = false
		default:
			if len(out) > 0 && !dash {
				out = append(out, '-')
				dash = true
			}
		}
	}
	for len(out) > 0 && out[len(out)-1] == '-' {
		out = out[:len(out)-1]
	}
	return string(out)
}
