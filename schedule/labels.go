package schedule

import (
	"fmt"
	"slices"
	"time"
)

// Applied label ids are kept per sample, in SampleState.Labels, rather than as a step
// watermark. A watermark (apply only steps above the last one applied) is smaller, but
// it silently drops a label batch of an earlier step that arrives after a later one
// (two advances run at once on interleaved steps, or a late `writing label` rerun);
// ids lose nothing. Their cost grows with the labels applied to each sample (epochs x
// rollouts per prompt, a few dozen), the same order as the label rows themselves, and
// unlike a capped global list (State.Requests) they are never forgotten, so a rerun of
// old labels still moves nothing.

// LabelApplied reports whether the label with id was already applied to sample.
func (st *State) LabelApplied(sample, id string) bool {
	s := st.Samples[sample]
	return s != nil && slices.Contains(s.Labels, id)
}

// ApplyLabel applies the outcome of the label row id under rule r, at most once: a label
// whose id the sample has already recorded changes nothing and reports already. A
// validation label is never applied nor recorded. An empty id is an error, since an
// unnamed label cannot be recognised on a rerun.
func (r Rule) ApplyLabel(st *State, id string, obs Observation, now time.Time) (mv Move, moved, already bool, err error) {
	if id == "" {
		return Move{}, false, false, fmt.Errorf("%w: a label of sample %q has no id", ErrBadObservation, obs.Sample)
	}
	if !obs.Validation && st.LabelApplied(obs.Sample, id) {
		return Move{}, false, true, nil
	}
	mv, moved, err = r.Apply(st, obs, now)
	if err != nil || obs.Validation {
		return mv, moved, false, err
	}
	s := st.Samples[obs.Sample]
	s.Labels = append(s.Labels, id)
	return mv, moved, false, nil
}
