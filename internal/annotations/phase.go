package annotations

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// Phase is a MUSEG training phase: 1 (timestamp-citing reasoning) or 2.
type Phase int

const (
	// Phase1 is the first training phase (format check with timestamps).
	Phase1 Phase = 1
	// Phase2 is the second training phase (no timestamp check).
	Phase2 Phase = 2
)

// Ratio is the wanted proportion of samples in phase 1 and phase 2, as counts
// or weights (5600:7000 and 4:5 mean the same).
type Ratio struct {
	Phase1 int
	Phase2 int
}

// DefaultRatio is MUSEG's released split: 5,600 phase-1 and 7,000 phase-2 samples.
var DefaultRatio = Ratio{Phase1: 5600, Phase2: 7000}

// Check returns an error unless both parts are non-negative and their sum positive.
func (r Ratio) Check() error {
	if r.Phase1 < 0 || r.Phase2 < 0 || r.Phase1+r.Phase2 <= 0 {
		return fmt.Errorf("phase ratio %d:%d: parts must be >= 0 with a positive sum", r.Phase1, r.Phase2)
	}
	return nil
}

// GroupKey is the key of the group a sample belongs to for the phase split:
// its video and its query, lower-cased and cleaned (CleanQuery), so the same
// (video, query) pair never lands in both phases.
func GroupKey(video, query string) string {
	return video + "\x00" + strings.ToLower(CleanQuery(query))
}

// PhaseOf assigns a group to a phase from a hash of seed and groupKey alone:
// a hash below 2^64*Phase1/(Phase1+Phase2) gives phase 1. AssignGroups visits
// groups in the order of the same hash, so both mostly agree (they differ
// only for groups near each stratum's cut). It needs no global view,
// so a distributed job can call it per element, and every sample of a group
// gets the same phase. The task is deliberately not hashed (a pair that
// appears under both tasks must stay in one phase); stratification by task
// then holds in expectation only: each task's phase-1 share is a binomial
// draw around the ratio (about ±1 percentage point at a few thousand groups).
// Use Split or AssignGroups for proportions as exact as group sizes allow.
// An invalid ratio gives an error.
func PhaseOf(groupKey string, ratio Ratio, seed uint64) (Phase, error) {
	if err := ratio.Check(); err != nil {
		return 0, err
	}
	if ratio.Phase2 == 0 {
		return Phase1, nil
	}
	// threshold = 2^64 * Phase1 / (Phase1 + Phase2), exactly (Phase1 < sum).
	threshold, _ := bits.Div64(uint64(ratio.Phase1), 0, uint64(ratio.Phase1+ratio.Phase2))
	if seededHash(seed, "phase", groupKey) < threshold {
		return Phase1, nil
	}
	return Phase2, nil
}

// Group is one split group: its key (GroupKey), its stratum (the task, or
// several tasks joined by "+" when a pair appears under more than one) and
// its number of samples. A distributed job can count groups with a combine,
// call AssignGroups once on the (small) result and use it as a side input.
type Group struct {
	Key     string
	Stratum string
	Size    int
}

// AssignGroups assigns whole groups to phases so that, within each stratum,
// the phase-1 sample count is as close to total*Phase1/(Phase1+Phase2)
// (rounded) as the group sizes allow without exceeding it: groups are
// visited in the order of a seeded hash of their key and each goes to phase 1
// while it still fits under the target, else to phase 2. Groups with the same
// key are merged first. Deterministic for a given seed and set of groups,
// whatever their order. Empty input gives an empty map.
func AssignGroups(groups []Group, ratio Ratio, seed uint64) (map[string]Phase, error) {
	if err := ratio.Check(); err != nil {
		return nil, err
	}
	merged := map[string]*Group{}
	for _, g := range groups {
		if g.Size < 0 {
			return nil, fmt.Errorf("assign groups: group %q has negative size %d", g.Key, g.Size)
		}
		m, ok := merged[g.Key]
		if !ok {
			c := g
			merged[g.Key] = &c
			continue
		}
		m.Size += g.Size
		m.Stratum = joinStrata(m.Stratum, g.Stratum)
	}
	strata := map[string][]*Group{}
	for _, g := range merged {
		strata[g.Stratum] = append(strata[g.Stratum], g)
	}
	out := make(map[string]Phase, len(merged))
	for _, gs := range strata {
		type ordered struct {
			h uint64
			g *Group
		}
		order := make([]ordered, len(gs))
		total := 0
		for i, g := range gs {
			order[i] = ordered{seededHash(seed, "phase", g.Key), g}
			total += g.Size
		}
		slices.SortFunc(order, func(a, b ordered) int {
			if c := cmp.Compare(a.h, b.h); c != 0 {
				return c
			}
			return cmp.Compare(a.g.Key, b.g.Key)
		})
		target := int(math.Round(float64(total) * float64(ratio.Phase1) / float64(ratio.Phase1+ratio.Phase2)))
		n1 := 0
		for _, o := range order {
			if n1+o.g.Size <= target {
				n1 += o.g.Size
				out[o.g.Key] = Phase1
			} else {
				out[o.g.Key] = Phase2
			}
		}
	}
	return out, nil
}

// joinStrata unions two "+"-joined task lists, sorted.
func joinStrata(a, b string) string {
	set := strings.Split(a, "+")
	for _, t := range strings.Split(b, "+") {
		if !slices.Contains(set, t) {
			set = append(set, t)
		}
	}
	slices.Sort(set)
	return strings.Join(set, "+")
}

// Split assigns every sample to a phase with the global view: samples are
// grouped by GroupKey(video, query), stratified by task and assigned with
// AssignGroups. It returns one Phase per sample, aligned with samples, and
// does not modify them. No group is split across phases.
func Split(samples []Sample, ratio Ratio, seed uint64) ([]Phase, error) {
	groups := make([]Group, len(samples))
	for i, s := range samples {
		groups[i] = Group{Key: GroupKey(s.Video, s.Query), Stratum: string(s.Task), Size: 1}
	}
	assigned, err := AssignGroups(groups, ratio, seed)
	if err != nil {
		return nil, err
	}
	phases := make([]Phase, len(samples))
	for i, g := range groups {
		phases[i] = assigned[g.Key]
	}
	return phases, nil
}
