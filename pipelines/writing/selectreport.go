package writing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/internal/launch"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/report"
)

// SelectReport is the select job's launch.Reporter: score and margin distributions and
// reference ladders, read back from PREFIX/scores/, with the judge usage of the manifest.
func SelectReport(ctx context.Context, prefix string, m layout.Manifest, run report.Run) (*report.Report, error) {
	d, err := selectDistributions(ctx, prefix, m, run, reportSample)
	if err != nil {
		return nil, err
	}
	if d.Examples, err = selectExamples(ctx, prefix, m, reportExamples); err != nil {
		return nil, err
	}
	var sel Selection
	if v, ok := m.Extra["selection"]; ok {
		b, _ := json.Marshal(v)
		if err := json.Unmarshal(b, &sel); err != nil {
			return nil, err
		}
	}
	d.Strategy = sel.Strategy
	switch {
	case sel.MinMargin != nil:
		d.MarginThreshold = sel.MinMargin
	case sel.Strategy == string(ByMargin) && sel.CutoffKey != nil:
		d.MarginThreshold = sel.CutoffKey
	}
	st, err := UsageOf(m.Extra)
	if err != nil {
		return nil, err
	}
	d.Judge = reportStats(st)
	return report.WritingSelect(d), nil
}

// reportSample is the most score rows the report's distributions are drawn from, for
// all rows and for each side of the selection: a uniform sample beyond it keeps the
// report's memory flat in the number of candidates.
const reportSample = 100000

// selectDistributions reads PREFIX/scores/ once and counts every row, keeping uniform
// samples (report.Reservoir) of at most most rows' scores and of as many selected and
// rejected margins.
func selectDistributions(ctx context.Context, prefix string, m layout.Manifest, run report.Run, most int) (report.WritingSelectData, error) {
	d := report.WritingSelectData{Run: run}
	all := report.NewReservoir[Scores](most, 1)
	selected := report.NewReservoir[float64](most, 2)
	rejected := report.NewReservoir[float64](most, 3)
	err := launch.EachRow(ctx, prefix, m, ScoresOutput, func(row []byte) error {
		var r ScoreRow
		if err := json.Unmarshal(row, &r); err != nil {
			return err
		}
		sc := Scores{Policy: r.PolicyScore, References: r.ReferenceScores}
		d.Candidates++
		if r.Selected {
			d.Selected++
			selected.Add(sc.Margin())
		} else {
			rejected.Add(sc.Margin())
		}
		all.Add(sc)
		return nil
	})
	if err != nil {
		return d, err
	}
	for _, sc := range all.Items {
		d.PolicyScores = append(d.PolicyScores, sc.Policy)
		d.BestReferenceScores = append(d.BestReferenceScores, sc.Best())
		d.Margins = append(d.Margins, sc.Margin())
		ladder := slices.Clone(sc.References)
		sort.Float64s(ladder)
		d.ReferenceScores = append(d.ReferenceScores, ladder)
	}
	d.SelectedMargins, d.RejectedMargins = selected.Items, rejected.Items
	if all.Sampled() || selected.Sampled() || rejected.Sampled() {
		d.Note = fmt.Sprintf("The distributions below are drawn from a uniform sample of at most %d of the %d candidates (and of each side of the selection); the counts are exact.", most, all.Seen)
	}
	return d, nil
}

// reportStats converts judge usage for a report: calls are requests not answered from
// the cache or by a shared in-flight call.
func reportStats(st judge.Stats) report.JudgeStats {
	return report.JudgeStats{Calls: st.Requests - st.CacheHits - st.Deduplicated, CacheHits: st.CacheHits, Failures: st.Failures,
		PromptTokens: st.PromptTokens, CompletionTokens: st.CompletionTokens, CostUSD: st.CostUSD}
}

// reportExamples is how many selected samples the report shows with both answers.
const reportExamples = 3

// selectExamples reads the first n selected rows (data output) as report examples: the
// prompt, the policy's answer and the strongest reference.
func selectExamples(ctx context.Context, prefix string, m layout.Manifest, n int) ([]report.WritingExample, error) {
	var out []report.WritingExample
	err := launch.EachRow(ctx, prefix, m, layout.DataOutput, func(row []byte) error {
		if len(out) == n {
			return errEnough // stop reading: the rest is not shown
		}
		var r struct {
			ID             string   `json:"id"`
			Prompt         string   `json:"prompt"`
			PolicyResponse string   `json:"policy_response"`
			References     []string `json:"references"`
			Margin         float64  `json:"margin"`
		}
		if err := json.Unmarshal(row, &r); err != nil {
			return err
		}
		e := report.WritingExample{ID: r.ID, Prompt: r.Prompt, Policy: r.PolicyResponse, Margin: r.Margin}
		if len(r.References) > 0 {
			e.BestReference = r.References[len(r.References)-1] // weakest to strongest
		}
		out = append(out, e)
		return nil
	})
	if errors.Is(err, errEnough) {
		err = nil
	}
	return out, err
}

// errEnough stops EachRow once the examples are read.
var errEnough = errors.New("enough examples")
