package writing

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/report"
)

// TestSelectDistributionsSample: the select report counts every candidate but keeps at
// most `most` rows' scores and as many margins on each side of the selection, and says
// so; below the bound it keeps them all and says nothing.
func TestSelectDistributionsSample(t *testing.T) {
	// 50 candidates, every fifth selected: 10 selected, 40 rejected.
	dir := t.TempDir()
	var rows strings.Builder
	// Selected rows have policy score 1 (margin 9-1 = 8), rejected ones 5, 6 or 7
	// (margin 4, 3 or 2), so each side's margins can be told apart.
	for i := range 50 {
		selected, policy := i%5 == 0, 5+i%3
		if selected {
			policy = 1
		}
		fmt.Fprintf(&rows, `{"id":"s%d","policy_score":%d,"reference_scores":[9,%d],"margin":%d,"selected":%t}`+"\n", i, policy, i%5, 9-policy, selected)
	}
	if err := os.MkdirAll(filepath.Join(dir, ScoresOutput), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ScoresOutput, "scores.jsonl"), []byte(rows.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	m := layout.Manifest{Shards: []layout.Shard{{Output: ScoresOutput, Path: ScoresOutput + "/scores.jsonl"}}}
	for _, tc := range []struct {
		most                                int
		wantAll, wantSelected, wantRejected int
		wantNote                            bool
	}{
		{most: 100, wantAll: 50, wantSelected: 10, wantRejected: 40},
		{most: 50, wantAll: 50, wantSelected: 10, wantRejected: 40},
		{most: 20, wantAll: 20, wantSelected: 10, wantRejected: 20, wantNote: true},
		{most: 5, wantAll: 5, wantSelected: 5, wantRejected: 5, wantNote: true},
	} {
		d, err := selectDistributions(context.Background(), dir, m, report.Run{}, tc.most)
		if err != nil {
			t.Fatal(err)
		}
		if d.Candidates != 50 || d.Selected != 10 {
			t.Errorf("most %d: counted %d candidates, %d selected; want 50, 10", tc.most, d.Candidates, d.Selected)
		}
		got := []int{len(d.PolicyScores), len(d.BestReferenceScores), len(d.Margins), len(d.ReferenceScores)}
		for _, n := range got {
			if n != tc.wantAll {
				t.Errorf("most %d: distributions of %v rows, want %d", tc.most, got, tc.wantAll)
				break
			}
		}
		if len(d.SelectedMargins) != tc.wantSelected || len(d.RejectedMargins) != tc.wantRejected {
			t.Errorf("most %d: %d selected and %d rejected margins, want %d and %d", tc.most, len(d.SelectedMargins), len(d.RejectedMargins), tc.wantSelected, tc.wantRejected)
		}
		if (d.Note != "") != tc.wantNote || (tc.wantNote && !strings.Contains(d.Note, "of the 50 candidates")) {
			t.Errorf("most %d: note %q, want one: %t", tc.most, d.Note, tc.wantNote)
		}
		for _, mg := range d.SelectedMargins {
			if mg != 8 {
				t.Errorf("most %d: selected margin %v, want 8", tc.most, mg)
			}
		}
		for _, mg := range d.RejectedMargins {
			if mg < 2 || mg > 4 {
				t.Errorf("most %d: rejected margin %v, want 2, 3 or 4", tc.most, mg)
			}
		}
	}
}
