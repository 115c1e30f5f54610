package annotations

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// genSamples builds n samples in groups of 1 to 4 (same video and query),
// about 55% tvg and 45% tal, in a shuffled order.
func genSamples(n int, rng *rand.Rand) []Sample {
	var out []Sample
	for g := 0; len(out) < n; g++ {
		task := TaskTVG
		if rng.Float64() < 0.45 {
			task = TaskTAL
		}
		size := 1 + rng.IntN(4)
		for j := 0; j < size && len(out) < n; j++ {
			out = append(out, Sample{
				Key:   fmt.Sprintf("s%d-%d", g, j),
				Video: fmt.Sprintf("video%d.mp4", g/3), // videos shared by several queries
				Query: fmt.Sprintf("query %d", g),
				Task:  task,
			})
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func TestSplitProportionsAndGroups(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	samples := genSamples(12600, rng)
	phases, err := Split(samples, DefaultRatio, 99)
	if err != nil {
		t.Fatal(err)
	}
	want := 5600.0 / 12600.0
	total := map[Task]int{}
	p1 := map[Task]int{}
	groupPhase := map[string]Phase{}
	for i, s := range samples {
		if phases[i] != Phase1 && phases[i] != Phase2 {
			t.Fatalf("sample %d has phase %d", i, phases[i])
		}
		total[s.Task]++
		if phases[i] == Phase1 {
			p1[s.Task]++
		}
		k := GroupKey(s.Video, s.Query)
		if p, ok := groupPhase[k]; ok && p != phases[i] {
			t.Fatalf("group %q split across phases", k)
		}
		groupPhase[k] = phases[i]
	}
	for task, n := range total {
		target := math.Round(float64(n) * want)
		// Greedy fill never exceeds the target and, with groups of at most 4,
		// ends within a few samples of it.
		if d := target - float64(p1[task]); d < 0 || d > 4 {
			t.Errorf("task %s: %d of %d in phase 1, target %v", task, p1[task], n, target)
		}
	}

	// Same samples in another order: same phases.
	perm := rng.Perm(len(samples))
	shuffled := make([]Sample, len(samples))
	for i, j := range perm {
		shuffled[i] = samples[j]
	}
	again, err := Split(shuffled, DefaultRatio, 99)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := range perm {
		if again[i] != phases[j] {
			t.Fatalf("order changed the phase of sample %s", samples[j].Key)
		}
	}
}

func TestPhaseOfProportionsAndAgreement(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	samples := genSamples(12600, rng)
	exact, err := Split(samples, DefaultRatio, 5)
	if err != nil {
		t.Fatal(err)
	}
	want := 5600.0 / 12600.0
	total := map[Task]int{}
	p1 := map[Task]int{}
	agree := 0
	for i, s := range samples {
		p, err := PhaseOf(GroupKey(s.Video, s.Query), DefaultRatio, 5)
		if err != nil {
			t.Fatal(err)
		}
		total[s.Task]++
		if p == Phase1 {
			p1[s.Task]++
		}
		if p == exact[i] {
			agree++
		}
	}
	for task, n := range total {
		got := float64(p1[task]) / float64(n)
		// About 2,800 groups per task: a binomial share has sd ~1 point;
		// allow 4 points.
		if math.Abs(got-want) > 0.04 {
			t.Errorf("task %s: phase-1 share %.3f, want %.3f ± 0.04", task, got, want)
		}
	}
	if frac := float64(agree) / float64(len(samples)); frac < 0.9 {
		t.Errorf("PhaseOf agrees with Split on %.2f of samples, want >= 0.9", frac)
	}
}

func TestPhaseOfGroupConsistentAndNormalised(t *testing.T) {
	a, _ := PhaseOf(GroupKey("v.mp4", "A person sits."), DefaultRatio, 1)
	b, _ := PhaseOf(GroupKey("v.mp4", "a person sits"), DefaultRatio, 1)
	if a != b {
		t.Error("case and trailing period must not change the group")
	}
	if GroupKey("v.mp4", "x") == GroupKey("w.mp4", "x") {
		t.Error("different videos must be different groups")
	}
}

func TestRatioEdges(t *testing.T) {
	tests := []struct {
		name    string
		ratio   Ratio
		want    Phase // 0: expect an error
		wantErr bool
	}{
		{"all phase 1", Ratio{1, 0}, Phase1, false},
		{"all phase 2", Ratio{0, 1}, Phase2, false},
		{"zero sum", Ratio{0, 0}, 0, true},
		{"negative", Ratio{-1, 3}, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for i := range 200 {
				p, err := PhaseOf(fmt.Sprint(i), tc.ratio, 0)
				if (err != nil) != tc.wantErr {
					t.Fatalf("err = %v", err)
				}
				if p != tc.want {
					t.Fatalf("key %d: phase %d, want %d", i, p, tc.want)
				}
			}
			_, err := AssignGroups([]Group{{Key: "a", Stratum: "tvg", Size: 1}}, tc.ratio, 0)
			if (err != nil) != tc.wantErr {
				t.Errorf("AssignGroups err = %v", err)
			}
		})
	}
}

func TestAssignGroups(t *testing.T) {
	tests := []struct {
		name   string
		groups []Group
		ratio  Ratio
		want1  map[string]int // stratum -> phase-1 samples
	}{
		{"empty", nil, DefaultRatio, map[string]int{}},
		{"even split of ten singles", singles("tvg", 10), Ratio{1, 1}, map[string]int{"tvg": 5}},
		{"big group cannot fit", []Group{{"big", "tal", 8}, {"a", "tal", 1}, {"b", "tal", 1}}, Ratio{1, 1}, map[string]int{"tal": 2}},
		{"same key merged across entries and strata", []Group{{"x", "tvg", 1}, {"x", "tal", 1}, {"y", "tvg", 2}}, Ratio{1, 1}, map[string]int{"tal+tvg": 0, "tvg": 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := AssignGroups(tc.groups, tc.ratio, 11)
			if err != nil {
				t.Fatal(err)
			}
			size := map[string]int{}
			stratum := map[string]string{}
			for _, g := range tc.groups {
				size[g.Key] += g.Size
				if s, ok := stratum[g.Key]; ok && s != g.Stratum {
					stratum[g.Key] = joinStrata(s, g.Stratum)
				} else if !ok {
					stratum[g.Key] = g.Stratum
				}
			}
			if len(got) != len(size) {
				t.Fatalf("%d groups assigned, want %d", len(got), len(size))
			}
			n1 := map[string]int{}
			for k, p := range got {
				if p == Phase1 {
					n1[stratum[k]] += size[k]
				}
			}
			for s, want := range tc.want1 {
				if n1[s] != want {
					t.Errorf("stratum %s: %d phase-1 samples, want %d", s, n1[s], want)
				}
			}
		})
	}
	if _, err := AssignGroups([]Group{{"a", "tvg", -1}}, DefaultRatio, 0); err == nil {
		t.Error("negative size: want an error")
	}
}

func singles(stratum string, n int) []Group {
	out := make([]Group, n)
	for i := range out {
		out[i] = Group{Key: fmt.Sprint("g", i), Stratum: stratum, Size: 1}
	}
	return out
}
