package report

import "strconv"

// Table is a small table of text cells. Cells that parse as numbers are
// right-aligned. A Table with no Rows renders a single "no data" row.
type Table struct {
	// Caption is shown above the table; may be empty.
	Caption string
	// Header names the columns; may be empty.
	Header []string
	// Rows are the cells, row by row.
	Rows [][]string
}

// KV is one key-value pair of a key-value table.
type KV struct {
	Key   string
	Value string
}

// KeyValues returns a two-column table of the pairs, in the given order.
func KeyValues(caption string, pairs ...KV) *Table {
	t := &Table{Caption: caption}
	for _, p := range pairs {
		t.Rows = append(t.Rows, []string{p.Key, p.Value})
	}
	return t
}

func (t *Table) view() blockView { return blockView{Table: t.tableView()} }

// tableView converts t for the template.
func (t *Table) tableView() *tableView {
	v := &tableView{Caption: t.Caption, Header: t.Header}
	for _, r := range t.Rows {
		row := make([]cellView, len(r))
		for i, c := range r {
			row[i] = cellView{Text: c, Num: i > 0 && looksNumeric(c)}
		}
		v.Rows = append(v.Rows, row)
	}
	if len(v.Rows) == 0 {
		v.Rows = [][]cellView{{{Text: "no data"}}}
	}
	return v
}

// looksNumeric reports whether s is a number as this package formats them
// (digits with thousands commas, optional sign, decimals, "%" or "$").
func looksNumeric(s string) bool {
	if s == "" {
		return false
	}
	clean := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ',' || c == '%' || c == '$':
		case c == ' ' && i == len(s)-1:
		default:
			clean = append(clean, c)
		}
	}
	_, err := strconv.ParseFloat(string(clean), 64)
	return err == nil
}
