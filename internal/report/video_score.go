package report

import "fmt"

// PhaseRewards are the MUSEG reward components of every scored rollout of
// one phase.
type PhaseRewards struct {
	// Phase names the phase, e.g. "phase 1".
	Phase string
	// Format, Global and Local are the components F, rG and rL (each in
	// [0, 1]); Total is their sum (in [0, 3]).
	Format, Global, Local, Total []float64
}

// VideoScoreData is what the video score job knows at the end of a run.
type VideoScoreData struct {
	Run
	// Phases are the rewards per phase, in display order.
	Phases []PhaseRewards
}

// component names a reward component with its values' fixed range.
type component struct {
	id, name string
	hi       float64
	bins     int
	values   func(PhaseRewards) []float64
}

// components lists the MUSEG reward components in display order.
var components = []component{
	{"format", "format F", 1, 20, func(p PhaseRewards) []float64 { return p.Format }},
	{"global", "global matching rG", 1, 20, func(p PhaseRewards) []float64 { return p.Global }},
	{"local", "local matching rL", 1, 20, func(p PhaseRewards) []float64 { return p.Local }},
	{"total", "total", 3, 30, func(p PhaseRewards) []float64 { return p.Total }},
}

// VideoScore builds the report of a video score run: mean reward per
// component and phase, and the distribution of every component per phase.
func VideoScore(d VideoScoreData) *Report {
	rep := d.Run.start("video score")
	means := &BarChart{ID: "mean-rewards", Title: "Mean reward per component", ValueLabel: "mean reward"}
	table := &Table{Caption: "Reward summary", Header: []string{"phase", "component", "n", "mean", "median", "min", "max"}}
	for _, c := range components {
		means.Categories = append(means.Categories, c.name)
	}
	for i, p := range d.Phases {
		s := BarSeries{Name: defaultStr(p.Phase, fmt.Sprintf("phase %d", i+1))}
		for _, c := range components {
			st := summarize(c.values(p))
			s.Values = append(s.Values, st.Mean)
			table.Rows = append(table.Rows, []string{s.Name, c.name, formatCount(int64(st.N)), formatNum(st.Mean, 3), formatNum(st.Median, 3), formatNum(st.Min, 3), formatNum(st.Max, 3)})
		}
		means.Series = append(means.Series, s)
	}
	rep.Sections = append(rep.Sections, Section{Title: "Rewards", Blocks: []Block{means, table}})
	for i, p := range d.Phases {
		name := defaultStr(p.Phase, fmt.Sprintf("phase %d", i+1))
		var blocks []Block
		for _, c := range components {
			blocks = append(blocks, &Histogram{
				ID:     slug(name) + "-" + c.id,
				Title:  fmt.Sprintf("%s: %s", name, c.name),
				XLabel: "reward", YLabel: "rollouts",
				Values: c.values(p), Lo: 0, Hi: c.hi, Bins: c.bins,
			})
		}
		rep.Sections = append(rep.Sections, Section{Title: "Reward distributions, " + name, Blocks: blocks})
	}
	return d.Run.finish(rep)
}
