package report

import "fmt"

// Run is what every job report shares: where it wrote, its parameters and
// its manifest accounting.
type Run struct {
	// Title overrides the report title; empty uses the job's name.
	Title string
	// Prefix is the job's output prefix, shown under the title.
	Prefix string
	// Params are the job's flags or settings, shown in a last section.
	Params []KV
	// Meta is the run's metadata (versions, command line, inputs with their hashes,
	// start and duration), shown in the section before the parameters.
	Meta []KV
	// Counts are the manifest's record counts.
	Counts Counts
	// DeadLetters are the dead-letter reasons with counts.
	DeadLetters []ReasonCount
}

// start begins a report for run with the job's default title.
func (r Run) start(job string) *Report {
	return &Report{
		Title:      defaultStr(r.Title, job),
		Subtitle:   r.Prefix,
		Accounting: Accounting{Counts: r.Counts, Reasons: r.DeadLetters},
	}
}

// finish appends the metadata and parameters sections when there are any.
func (r Run) finish(rep *Report) *Report {
	if len(r.Meta) > 0 {
		rep.Sections = append(rep.Sections, Section{Title: "Run metadata", Blocks: []Block{KeyValues("", r.Meta...)}})
	}
	if len(r.Params) > 0 {
		rep.Sections = append(rep.Sections, Section{Title: "Run parameters", Blocks: []Block{KeyValues("", r.Params...)}})
	}
	return rep
}

// JudgeStats summarises a run's LLM judge usage.
type JudgeStats struct {
	// Calls are judge requests made (cache hits excluded).
	Calls int64
	// CacheHits are judgements answered from the cache.
	CacheHits int64
	// Failures are judgements that ended without a verdict or score.
	Failures int64
	// PromptTokens and CompletionTokens are the tokens billed.
	PromptTokens, CompletionTokens int64
	// CostUSD is the estimated cost in US dollars.
	CostUSD float64
}

// blocks returns a table and a bar chart of the judge usage.
func (j JudgeStats) blocks() []Block {
	lookups := j.Calls + j.CacheHits
	rate := func(n, of int64) string {
		if of <= 0 {
			return formatCount(n)
		}
		return fmt.Sprintf("%s (%s)", formatCount(n), formatPercent(float64(n)/float64(of)))
	}
	perCall := "n/a"
	if j.Calls > 0 {
		perCall = fmt.Sprintf("$%s", formatNum(j.CostUSD/float64(j.Calls), 5))
	}
	t := KeyValues("Judge usage",
		KV{"judge calls", formatCount(j.Calls)},
		KV{"cache hits (of lookups)", rate(j.CacheHits, lookups)},
		KV{"failures (of lookups)", rate(j.Failures, lookups)},
		KV{"prompt tokens", formatCount(j.PromptTokens)},
		KV{"completion tokens", formatCount(j.CompletionTokens)},
		KV{"cost", fmt.Sprintf("$%s", formatNum(j.CostUSD, 2))},
		KV{"cost per call", perCall},
	)
	b := &BarChart{
		ID:         "judge-usage",
		Title:      "Judge lookups",
		Categories: []string{"calls", "cache hits", "failures"},
		Series:     []BarSeries{{Name: "lookups", Values: []float64{float64(j.Calls), float64(j.CacheHits), float64(j.Failures)}}},
		ValueLabel: "lookups",
	}
	return []Block{t, b}
}
