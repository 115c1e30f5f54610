package report

import (
	"fmt"
	"sort"
)

// Counts are a run's record counts as the manifest holds them. A run
// balances when Read == Written + Filtered + DeadLettered.
type Counts struct {
	Read         int64
	Written      int64
	Filtered     int64
	DeadLettered int64
	// Extra holds further counters (e.g. per validation rule); they are
	// shown sorted by name and take no part in the balance.
	Extra map[string]int64
}

// Balanced reports whether Read == Written + Filtered + DeadLettered.
func (c Counts) Balanced() bool {
	return c.Read == c.Written+c.Filtered+c.DeadLettered
}

// ReasonCount is how many dead letters share one reason.
type ReasonCount struct {
	Reason string
	Count  int64
}

// Accounting is the first section of every report: the balance of the
// counts with an OK/MISMATCH badge, the extra counters, a link to the
// relative folder deadletter/ and the most common dead-letter reasons.
type Accounting struct {
	Counts Counts
	// Reasons are dead-letter reasons with counts, in any order; they are
	// shown by count descending, then reason ascending.
	Reasons []ReasonCount
	// MaxReasons caps the reasons listed; 0 means 10. The rest are
	// summarised in one line.
	MaxReasons int
}

// accountingView is what the accounting template draws.
type accountingView struct {
	OK             bool
	Check          string
	Counts         *tableView
	Extra          *tableView
	DeadLetterNote string
	Reasons        *tableView
	ReasonNotes    []string
}

// view converts a for the template.
func (a Accounting) view() accountingView {
	c := a.Counts
	sum := c.Written + c.Filtered + c.DeadLettered
	v := accountingView{OK: c.Balanced()}
	if v.OK {
		v.Check = fmt.Sprintf("read %s = written %s + filtered %s + dead-lettered %s",
			formatCount(c.Read), formatCount(c.Written), formatCount(c.Filtered), formatCount(c.DeadLettered))
	} else {
		v.Check = fmt.Sprintf("read %s ≠ written %s + filtered %s + dead-lettered %s = %s (difference %s)",
			formatCount(c.Read), formatCount(c.Written), formatCount(c.Filtered), formatCount(c.DeadLettered),
			formatCount(sum), formatCount(c.Read-sum))
	}
	pct := func(n int64) string {
		if c.Read <= 0 {
			return ""
		}
		return formatPercent(float64(n) / float64(c.Read))
	}
	counts := &Table{Caption: "Records", Header: []string{"stage", "records", "of read"}, Rows: [][]string{
		{"read", formatCount(c.Read), pct(c.Read)},
		{"written", formatCount(c.Written), pct(c.Written)},
		{"filtered", formatCount(c.Filtered), pct(c.Filtered)},
		{"dead-lettered", formatCount(c.DeadLettered), pct(c.DeadLettered)},
		{"written + filtered + dead-lettered", formatCount(sum), pct(sum)},
		{"read − sum", formatCount(c.Read - sum), ""},
	}}
	v.Counts = counts.tableView()
	if len(c.Extra) > 0 {
		names := make([]string, 0, len(c.Extra))
		for k := range c.Extra {
			names = append(names, k)
		}
		sort.Strings(names)
		extra := &Table{Caption: "Other counters", Header: []string{"counter", "value"}}
		for _, k := range names {
			extra.Rows = append(extra.Rows, []string{k, formatCount(c.Extra[k])})
		}
		v.Extra = extra.tableView()
	}
	v.DeadLetterNote = fmt.Sprintf("%s dead letters.", formatCount(c.DeadLettered))
	reasons := append([]ReasonCount(nil), a.Reasons...)
	sort.SliceStable(reasons, func(i, j int) bool {
		if reasons[i].Count != reasons[j].Count {
			return reasons[i].Count > reasons[j].Count
		}
		return reasons[i].Reason < reasons[j].Reason
	})
	limit := a.MaxReasons
	if limit <= 0 {
		limit = 10
	}
	var total int64
	for _, r := range reasons {
		total += r.Count
	}
	if len(reasons) > 0 {
		t := &Table{Caption: "Most common reasons", Header: []string{"reason", "dead letters"}}
		for _, r := range reasons[:min(limit, len(reasons))] {
			t.Rows = append(t.Rows, []string{r.Reason, formatCount(r.Count)})
		}
		v.Reasons = t.tableView()
	}
	if len(reasons) > limit {
		var rest int64
		for _, r := range reasons[limit:] {
			rest += r.Count
		}
		v.ReasonNotes = append(v.ReasonNotes, fmt.Sprintf("and %d more reasons with %s dead letters", len(reasons)-limit, formatCount(rest)))
	}
	if len(reasons) > 0 && total != c.DeadLettered {
		v.ReasonNotes = append(v.ReasonNotes, fmt.Sprintf("the reasons account for %s of %s dead letters", formatCount(total), formatCount(c.DeadLettered)))
	}
	return v
}
