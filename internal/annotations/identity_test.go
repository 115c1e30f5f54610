package annotations

import "testing"

func TestIdentity(t *testing.T) {
	base := Sample{Video: "v.mp4", Task: TaskTAL, Query: "jumping", Solution: [][2]float64{{1, 2}, {4, 6}}}
	with := func(f func(*Sample)) Sample {
		s := base
		s.Solution = append([][2]float64(nil), base.Solution...)
		f(&s)
		return s
	}
	tests := []struct {
		name  string
		other Sample
		same  bool
	}{
		{"exact repeat, other key and origin", with(func(s *Sample) { s.Key, s.Origin, s.Question = "k2", "f:9", "other wording" }), true},
		{"segments in another order", with(func(s *Sample) { s.Solution = [][2]float64{{4, 6}, {1, 2}} }), true},
		{"end clipped alike", with(func(s *Sample) { s.Solution[1][1] = 6.4 }), true},
		{"other video", with(func(s *Sample) { s.Video = "w.mp4" }), false},
		{"other task", with(func(s *Sample) { s.Task = TaskTVG }), false},
		{"other query", with(func(s *Sample) { s.Query = "running" }), false},
		{"other segment", with(func(s *Sample) { s.Solution[0][0] = 1.5 }), false},
		{"one segment fewer", with(func(s *Sample) { s.Solution = s.Solution[:1] }), false},
		{"query that swallows a separator", with(func(s *Sample) { s.Query = "jumping\x001 2"; s.Solution = s.Solution[1:] }), false},
	}
	opts := DefaultValidateOptions()
	const probed = 6.0 // the second segment ends at the video's end; 6.4 is clipped to it
	a, err := Validate(base, probed, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Validate(tc.other, probed, opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := a.Identity() == b.Identity(); got != tc.same {
				t.Errorf("same identity = %v, want %v (%q vs %q)", got, tc.same, a.Identity(), b.Identity())
			}
		})
	}
}
