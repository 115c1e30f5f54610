package rewards

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// goldenCase is one row of testdata/museg_reward_golden.json (a copy of
// shared/fixtures): the released code's outputs, rounded to 6 places.
type goldenCase struct {
	Name           string       `json:"name"`
	Completion     string       `json:"completion"`
	GT             [][2]float64 `json:"gt"`
	FormatPhase1   float64      `json:"format_phase1"`
	FormatPhase2   float64      `json:"format_phase2"`
	GlobalMatching float64      `json:"global_matching"`
	LocalMatching  float64      `json:"local_matching"`
	TotalPhase1    float64      `json:"total_phase1"`
	TotalPhase2    float64      `json:"total_phase2"`
}

func loadGolden(t testing.TB) []goldenCase {
	t.Helper()
	b, err := os.ReadFile("testdata/museg_reward_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

const goldenTol = 1e-6 + 1e-12 // values are rounded to 6 places

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

func TestMusegGoldenCompat(t *testing.T) {
	cases := loadGolden(t)
	if len(cases) != 29 {
		t.Fatalf("golden file has %d cases, want 29", len(cases))
	}
	for _, c := range cases {
		for _, phase := range []int{1, 2} {
			plan, err := PlanFor(phase)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Museg(MusegInput{ID: c.Name, Completion: c.Completion, Solution: c.GT}, plan, Compat)
			if err != nil {
				t.Fatalf("%s phase %d: %v", c.Name, phase, err)
			}
			wantF, wantT := c.FormatPhase1, c.TotalPhase1
			if phase == 2 {
				wantF, wantT = c.FormatPhase2, c.TotalPhase2
			}
			checks := []struct {
				what      string
				got, want float64
			}{
				{"format", got.Format, wantF},
				{"global", got.GlobalMatching, c.GlobalMatching},
				{"local", got.LocalMatching, c.LocalMatching},
				{"total", got.Total, wantT},
			}
			for _, ch := range checks {
				if !near(ch.got, ch.want, goldenTol) {
					t.Errorf("%s phase %d %s = %.9f, want %.6f", c.Name, phase, ch.what, ch.got, ch.want)
				}
			}
			if fs := FormatScore(c.Completion, phase == 1, Compat); fs != got.Format {
				t.Errorf("%s phase %d: FormatScore %v != Museg format %v", c.Name, phase, fs, got.Format)
			}
		}
	}
}
