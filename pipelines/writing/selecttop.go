package writing

import (
	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/top"
	"github.com/rlcurate/rlcurate/transforms"
)

// byThreshold selects every scored sample whose margin is at least o.MinMargin, one
// sample at a time: no side input, so nothing waits for the rest of the input.
func byThreshold(s beam.Scope, scored beam.PCollection, o SelectOptions) selection {
	s = s.Scope("Threshold")
	data, scores, unselected, dead := beam.ParDo4(s, &thresholdFn{MinMargin: o.MinMargin}, scored)
	info := beam.ParDo(s, &selectionInfoFn{Strategy: o.Strategy, MinMargin: o.MinMargin, Threshold: true}, beam.Create(s, []Candidate{}))
	return selection{data: data, scores: scores, unselected: unselected, dead: dead, info: info}
}

// topK selects the o.TopK best-ranked samples in two passes. Pass 1 reduces each scored
// sample to a Candidate (no row text) and combines the candidates into the top list (at
// most one list of k, none for an empty input); the score rows wait for that list (their
// "selected" field needs the cutoff) but hold candidates only. Pass 2 reads the input
// again and renders the rows at the selected (file, line): the same physical row as pass
// 1 scored, also for an id that is repeated, with its sampling weight under
// --reweight-by-level. Pass 2's reads are not counted and its dead letters not written:
// they are pass 1's.
func topK(s beam.Scope, scored beam.PCollection, o SelectOptions, job transforms.Job) selection {
	s = s.Scope("TopK")
	cands := beam.ParDo(s, &candidateFn{Strategy: Strategy(o.Strategy), Seed: o.Seed}, scored)
	best := top.Largest(s, cands, o.TopK, CandidateLess)
	scores, unselected := beam.ParDo2(s, &scoreRowFn{}, cands, beam.SideInput{Input: best})
	again, _ := transforms.ReadInput(s.Scope("SecondPass"), job, o.Input)
	pf := &pickFn{Reweight: o.Ladders.ReweightByLevel}
	if pf.Reweight {
		pf.Levels = o.Ladders.Levels
	}
	data, dead := beam.ParDo2(s, pf, again, beam.SideInput{Input: best})
	info := beam.ParDo(s, &selectionInfoFn{Strategy: o.Strategy, TopK: o.TopK}, best)
	return selection{data: data, scores: scores, unselected: unselected, dead: dead, info: info}
}
