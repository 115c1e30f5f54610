package schedule

import (
	"fmt"
	"testing"
)

func TestRecordRequest(t *testing.T) {
	tests := []struct {
		name     string
		record   int // ids "r0" .. "r<record-1>", in order
		applied  []string
		forgot   []string
		wantKept int
	}{
		{"none", 0, nil, []string{"r0", ""}, 0},
		{"a few", 3, []string{"r0", "r1", "r2"}, []string{"r3"}, 3},
		{"exactly the cap", MaxRequests, []string{"r0", fmt.Sprintf("r%d", MaxRequests-1)}, nil, MaxRequests},
		{"past the cap: the oldest go", MaxRequests + 5, []string{"r5", fmt.Sprintf("r%d", MaxRequests+4)}, []string{"r0", "r4"}, MaxRequests},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := NewState()
			for i := range tc.record {
				st.RecordRequest(fmt.Sprintf("r%d", i))
			}
			for _, id := range tc.applied {
				if !st.Applied(id) {
					t.Errorf("Applied(%q) = false, want true", id)
				}
			}
			for _, id := range tc.forgot {
				if st.Applied(id) {
					t.Errorf("Applied(%q) = true, want false", id)
				}
			}
			if len(st.Requests) != tc.wantKept {
				t.Errorf("%d ids kept, want %d", len(st.Requests), tc.wantKept)
			}
		})
	}
}
