package writing

import (
	"fmt"
	"testing"

	"github.com/rlcurate/rlcurate/schedule"
)

func TestProgress(t *testing.T) {
	st := schedule.NewState()
	st.Samples["a"] = &schedule.SampleState{Pointer: 2, Rungs: 2}
	st.Samples["b"] = &schedule.SampleState{Pointer: 1, Rungs: 3}
	st.Samples["c"] = &schedule.SampleState{Pointer: 0, Rungs: 3}
	st.History = []schedule.Move{
		{Sample: "a", From: 0, To: 1, Step: 3},
		{Sample: "b", From: 0, To: 1, Step: 5},
		{Sample: "a", From: 1, To: 2, Step: 9, Reason: "master"},
	}
	progress, mastered := Progress(st)
	if mastered != 1 {
		t.Errorf("mastered = %d, want 1", mastered)
	}
	want := map[string]string{"a": "0@0 1@3 2@9", "b": "0@0 1@5", "c": "0@0"}
	if len(progress) != len(want) {
		t.Fatalf("progress has %d samples, want %d", len(progress), len(want))
	}
	for i, p := range progress {
		got := ""
		for j, h := range p.History {
			if j > 0 {
				got += " "
			}
			got += fmt.Sprintf("%d@%d", h.Level, h.Step)
		}
		if got != want[p.SampleID] {
			t.Errorf("%s: history %q, want %q", p.SampleID, got, want[p.SampleID])
		}
		if i > 0 && progress[i-1].SampleID > p.SampleID {
			t.Errorf("progress not sorted by sample id")
		}
	}
	if p, m := Progress(nil); p != nil || m != 0 {
		t.Errorf("Progress(nil) = %v, %d", p, m)
	}
}
