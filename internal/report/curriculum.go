package report

import (
	"fmt"
	"sort"
)

// BandHistogram is a Histogram over the fixed range [Lo, Hi] (Lo < Hi) with a kept band
// [BandLo, BandHi] shaded behind the bins, its two edges drawn as dashed markers, and a
// note of how many values lie inside it (edges included).
type BandHistogram struct {
	Histogram
	// BandLo and BandHi are the band's edges, inside [Lo, Hi].
	BandLo, BandHi float64
	// BandLabel names the band, e.g. "kept band"; default "band".
	BandLabel string
}

func (b *BandHistogram) view() blockView { return blockView{Chart: b.figure()} }

// figure draws the histogram, then the band behind it.
func (b *BandHistogram) figure() *figure {
	fig := b.Histogram.figure()
	if fig.Empty || !(b.Lo < b.Hi) || b.BandLo > b.BandHi {
		return fig
	}
	label := defaultStr(b.BandLabel, "band")
	x := linear{b.Lo, b.Hi, marL, plotW - marR}
	x0, x1 := x.at(max(b.Lo, b.BandLo)), x.at(min(b.Hi, b.BandHi))
	shade := rect(x0, marT, max(x1-x0, 1), plotH-marB-marT, "#E8F4EC", fmt.Sprintf("%s [%s, %s]", label, formatNum(b.BandLo, 4), formatNum(b.BandHi, 4)))
	shade.Class = "band"
	shapes := []shape{shade}
	for _, v := range []float64{b.BandLo, b.BandHi} {
		tx := x.at(v)
		shapes = append(shapes, line(tx, marT-4, tx, plotH-marB, "threshold"))
	}
	shapes = append(shapes, text((x0+x1)/2, marT-8, fmt.Sprintf("%s %s–%s", label, formatNum(b.BandLo, 4), formatNum(b.BandHi, 4)), "threshold-label", "middle"))
	fig.Shapes = append(shapes, fig.Shapes...)
	in, n := 0, 0
	for _, v := range b.Values {
		if v == v && v >= b.Lo && v <= b.Hi { // finite values on the axis
			n++
			if v >= b.BandLo && v <= b.BandHi {
				in++
			}
		}
	}
	if n > 0 {
		fig.Notes = append(fig.Notes, fmt.Sprintf("%s [%s, %s]: %s of %s values (%s) inside", label,
			formatNum(b.BandLo, 4), formatNum(b.BandHi, 4), formatCount(int64(in)), formatCount(int64(n)), formatPercent(float64(in)/float64(n))))
	}
	return fig
}

// CurriculumDifficultyData is what the curriculum difficulty job knows at the end of a
// run.
type CurriculumDifficultyData struct {
	Run
	// Means are the mean normalised rewards (in [0, 1]) of every sample with rollouts,
	// kept or dropped.
	Means []float64
	// Rollouts are the rollouts per sample, in the order of Means.
	Rollouts []float64
	// BandLo and BandHi are the kept band.
	BandLo, BandHi float64
	// Decisions count the samples with rollouts by outcome: "kept" or a drop reason.
	Decisions map[string]int64
}

// CurriculumDifficulty builds the report of a curriculum difficulty run: the samples
// kept and dropped per reason, the distribution of per-sample mean rewards with the
// band drawn on it, and rollouts per sample.
func CurriculumDifficulty(d CurriculumDifficultyData) *Report {
	rep := d.Run.start("curriculum difficulty")
	names := make([]string, 0, len(d.Decisions))
	for k := range d.Decisions {
		names = append(names, k)
	}
	sort.Strings(names)
	t := &Table{Caption: "Samples with rollouts, by decision", Header: []string{"decision", "samples"}}
	for _, k := range names {
		t.Rows = append(t.Rows, []string{k, formatCount(d.Decisions[k])})
	}
	rep.Sections = append(rep.Sections, Section{Title: "Difficulty", Blocks: []Block{
		t,
		&BandHistogram{
			Histogram: Histogram{ID: "sample-means", Title: "Mean normalised reward per sample", XLabel: "mean reward (0 worst, 1 best)",
				YLabel: "samples", Values: d.Means, Lo: 0, Hi: 1, Bins: 20},
			BandLo: d.BandLo, BandHi: d.BandHi, BandLabel: "kept band",
		},
		&Histogram{ID: "rollouts-per-sample", Title: "Rollouts per sample", XLabel: "rollouts", YLabel: "samples", Values: d.Rollouts, Integer: true},
	}})
	return d.Run.finish(rep)
}

// CurriculumMixSource is one source of a mix as its report shows it.
type CurriculumMixSource struct {
	Name, Weight          string
	Quota, Rows, Distinct int64
}

// CurriculumMixData is what the curriculum mix job knows at the end of a run.
type CurriculumMixData struct {
	Run
	Seed    int64
	Sources []CurriculumMixSource
}

// CurriculumMix builds the report of a curriculum mix run: the seed, and per source its
// weight, quota, rows available and distinct rows drawn, with a bar chart of the quotas.
func CurriculumMix(d CurriculumMixData) *Report {
	rep := d.Run.start("curriculum mix")
	t := &Table{Caption: fmt.Sprintf("Sources (seed %d)", d.Seed), Header: []string{"source", "weight", "quota", "rows", "distinct drawn"}}
	bars := &BarChart{ID: "mix-quotas", Title: "Rows per source", ValueLabel: "rows"}
	quota, avail := BarSeries{Name: "quota"}, BarSeries{Name: "rows available"}
	for _, s := range d.Sources {
		t.Rows = append(t.Rows, []string{s.Name, s.Weight, formatCount(s.Quota), formatCount(s.Rows), formatCount(s.Distinct)})
		bars.Categories = append(bars.Categories, s.Name)
		quota.Values = append(quota.Values, float64(s.Quota))
		avail.Values = append(avail.Values, float64(s.Rows))
	}
	bars.Series = []BarSeries{quota, avail}
	rep.Sections = append(rep.Sections, Section{Title: "Mix", Blocks: []Block{t, bars}})
	return d.Run.finish(rep)
}
