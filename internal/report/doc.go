// Package report renders the run report of an rlcurate job: one self-contained
// HTML page (inline CSS, inline SVG charts, no scripts, no network fetches)
// that every job writes as PREFIX/report.html next to its manifest.json.
//
// A Report always opens with the accounting of the run (read = written +
// filtered + dead-lettered, with an OK/MISMATCH badge and the most common
// dead-letter reasons), followed by the job's own sections. Sections hold
// blocks: key-value tables, paragraphs, histograms, bar charts and line plots.
// The per-job constructors (WritingSelect, WritingLabel, VideoBuild,
// VideoScore) build a complete Report from plain data structs.
//
// Every chart's <svg> root carries data-chart="<id>" and data-points="<n>",
// and every drawn data mark carries the class "mark", so tests (and people)
// can check that each chart drew its data. A chart without data shows the
// text "no data" and has data-points="0" and data-empty="true".
//
// Output is deterministic: the same Report renders to the same bytes.
package report
