package video

import (
	"fmt"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"
	"github.com/rlcurate/rlcurate/internal/annotations"
	"github.com/rlcurate/rlcurate/rewards"
)

func init() {
	register.Function2x0[staged, func(string, int64)](groupOf)
	register.DoFn4x1[staged, func(*string, *int64) bool, func(Row), func(string, int64), error](&phaseFn{})
	register.Iter2[string, int64]()
	register.Emitter1[Row]()
}

// assignPhases gives every staged row its phase with the exact split: the rows' (group,
// task) counts are summed by a combine (one small KV per group) and handed to phaseFn as
// a side input, where annotations.AssignGroups runs once per worker on that list, so the
// split is the one annotations.Split would make over the written samples: stratified by
// task, no (video, query) group in both phases. It returns the final rows (Row) and
// tallies "phase1" / "phase2".
func assignPhases(s beam.Scope, stagedRows beam.PCollection, fn *phaseFn) (rows, tallies beam.PCollection) {
	s = s.Scope("Phases")
	counts := stats.SumPerKey(s, beam.ParDo(s, groupOf, stagedRows))
	return beam.ParDo2(s, fn, stagedRows, beam.SideInput{Input: counts})
}

// groupOf emits a staged row's (group, task) count of one.
func groupOf(st staged, emit func(string, int64)) {
	emit(groupTally(st.Group, st.Row.Task), 1)
}

// phaseFn completes a row with its phase, the phase's prompt and reward plan.
type phaseFn struct {
	Ratio        annotations.Ratio
	Seed         uint64
	Instructions [2]string // phase 1, phase 2 templates

	once   sync.Once
	phases map[string]annotations.Phase
	err    error
}

func (fn *phaseFn) ProcessElement(st staged, counts func(*string, *int64) bool, emit func(Row), tallies func(string, int64)) error {
	fn.once.Do(func() { fn.phases, fn.err = phaseMap(counts, fn.Ratio, fn.Seed) })
	if fn.err != nil {
		return fn.err
	}
	ph, ok := fn.phases[st.Group]
	if !ok {
		return fmt.Errorf("row %s: group %q missing from the phase split", st.Row.ID, st.Group)
	}
	r, err := withPhase(st.Row, ph, fn.Instructions)
	if err != nil {
		return err
	}
	tallies(fmt.Sprintf("phase%d", ph), 1)
	emit(r)
	return nil
}

// phaseMap reads the (group, task) counts and assigns every group a phase.
func phaseMap(counts func(*string, *int64) bool, ratio annotations.Ratio, seed uint64) (map[string]annotations.Phase, error) {
	var groups []annotations.Group
	var k string
	var n int64
	for counts(&k, &n) {
		g, task := splitGroupTally(k)
		groups = append(groups, annotations.Group{Key: g, Stratum: string(task), Size: int(n)})
	}
	return annotations.AssignGroups(groups, ratio, seed)
}

// withPhase sets a row's phase, its prompt (question + the phase's instruction) and the
// phase's reward plan.
func withPhase(r Row, ph annotations.Phase, instructions [2]string) (Row, error) {
	plan, err := rewards.PlanFor(int(ph))
	if err != nil {
		return r, fmt.Errorf("row %s: %w", r.ID, err)
	}
	r.Phase = int(ph)
	r.Prompt = annotations.Prompt(r.Question, instructions[ph-1])
	r.Reward = plan
	return r, nil
}
