package report_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/rlcurate/rlcurate/internal/report"
)

// Example builds a custom report: the accounting comes first, then one
// section with a table and a histogram with a threshold marker.
func Example() {
	r := &report.Report{
		Title:    "my job",
		Subtitle: "gs://bucket/out/run-1",
		Accounting: report.Accounting{
			Counts:  report.Counts{Read: 10, Written: 7, Filtered: 2, DeadLettered: 1},
			Reasons: []report.ReasonCount{{Reason: "bad json", Count: 1}},
		},
		Sections: []report.Section{{Title: "Scores", Blocks: []report.Block{
			report.KeyValues("Settings", report.KV{Key: "k", Value: "3"}),
			&report.Histogram{ID: "scores", Title: "Scores", XLabel: "score", Values: []float64{1, 2, 2, 3, 5},
				Threshold: &report.Threshold{Value: 2.5, Label: "cut"}},
		}}},
	}
	var page bytes.Buffer
	if err := r.Render(&page); err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.Contains(page.Bytes(), []byte(`data-chart="scores"`)))
	// Output: true
}
