package serve

import (
	"context"
	"errors"

	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/schedule"
)

// writingJob is one writing completion to judge.
type writingJob struct {
	i      int // index in the request
	id     string
	sample Sample
	ref    int // index of the reference it is judged against
}

// scoreWriting fills the rewards of the writing items at idx. Each completion is judged
// (Config.Strategy) against its sample's current reference, read from the schedule once
// per request; its reward is Config.Rewards of the outcome. Then every non-validation
// outcome is applied to the schedule in one atomic Store.Update, except outcomes whose
// sample's reference moved while they were judged (another replica, or an earlier
// rollout of the same request, promoted it): those are stale, scored but not applied,
// so a pointer moves only on a win against the reference it points to.
//
// Any judge failure, reply without a verdict, timeout or store failure fails the whole
// request with a 503 and applies nothing, so that the trainer's retry counts each
// outcome once. A request whose RequestID the schedule has already recorded (a retry
// after a lost answer) is judged and rewarded again but applies nothing: its outcomes
// were recorded the first time ("writing/replayed" is 1 for its items).
func (s *Server) scoreWriting(ctx context.Context, req Request, items []item, idx []int, resp *Response) error {
	if s.cfg.Judge == nil || s.cfg.Samples == nil || s.cfg.Store == nil {
		return badRequest("writing labels need a judge, writing samples and a schedule: start the service with --judge-*, --samples and --schedule")
	}
	jobs := make([]writingJob, len(idx))
	for k, i := range idx {
		id := items[i].label.SampleID
		smp, ok := s.cfg.Samples[id]
		if !ok || len(smp.References) == 0 {
			return badRequest("label %d: unknown writing sample %q (not in --samples, or without references)", i, id)
		}
		jobs[k] = writingJob{i: i, id: id, sample: smp}
	}
	st, err := s.cfg.Store.Load(ctx)
	if err != nil {
		return unavailable("schedule", "load the reference schedule: %v", err)
	}
	for k := range jobs {
		jobs[k].ref = reference(st, jobs[k].id, len(jobs[k].sample.References))
	}

	calls := s.cfg.Strategy.Calls()
	verdicts := make([]rewards.Verdict, len(jobs)*len(calls))
	errs := judge.RunAll(ctx, len(verdicts), s.cfg.JudgeWorkers, func(ctx context.Context, n int) error {
		j := jobs[n/len(calls)]
		policy, ref := items[j.i].completion, j.sample.References[j.ref]
		req := judge.PairwiseRequest{Prompt: j.sample.Prompt, Criteria: j.sample.Criteria, A: policy, B: ref}
		if calls[n%len(calls)] == rewards.PolicyAsB {
			req.A, req.B = ref, policy
		}
		res, err := s.cfg.Judge.Pairwise(ctx, req)
		if err != nil {
			return err
		}
		if verdicts[n] = rewards.ParseVerdict(res.Text); verdicts[n] == rewards.VerdictUnknown {
			return errors.New("judge reply has no verdict token [[A]], [[B]] or [[C]]")
		}
		return nil
	})
	if first, failed := judge.FirstError(errs); first != nil {
		if ctx.Err() != nil {
			return unavailable("timeout", "request timed out with %d of %d judge calls failed (first: %v)", failed, len(errs), first)
		}
		return unavailable("judge", "%d of %d judge calls failed (first: %v)", failed, len(errs), first)
	}
	outcomes := make([]rewards.Outcome, len(jobs))
	for k := range jobs {
		o, err := s.cfg.Strategy.Combine(verdicts[k*len(calls) : (k+1)*len(calls)])
		if err == nil && o == rewards.OutcomeUnknown {
			err = rewards.ErrJudgeFailed
		}
		if err != nil {
			return unavailable("judge", "label %d: %v", jobs[k].i, err)
		}
		outcomes[k] = o
	}

	moved, stale := make([]bool, len(jobs)), make([]bool, len(jobs))
	replayed := false
	err = s.cfg.Store.Update(ctx, func(st *schedule.State) error {
		clear(moved) // the update may be retried from a fresh state
		clear(stale)
		if replayed = req.RequestID != "" && st.Applied(req.RequestID); replayed {
			return nil
		}
		if req.RequestID != "" {
			st.RecordRequest(req.RequestID)
		}
		for k, j := range jobs {
			if items[j.i].label.Validation {
				continue
			}
			if reference(st, j.id, len(j.sample.References)) != j.ref {
				stale[k] = true
				continue
			}
			obs := schedule.Observation{Sample: j.id, Rungs: len(j.sample.References), Outcome: outcomes[k], Step: req.Step}
			_, mv, err := s.cfg.Rule.Apply(st, obs, s.cfg.Now())
			if err != nil {
				return err
			}
			moved[k] = mv
		}
		return nil
	})
	if err != nil {
		return unavailable("schedule", "record outcomes in the reference schedule: %v", err)
	}

	n := len(items)
	win, tie, loss := logs(resp, n, "writing/win"), logs(resp, n, "writing/tie"), logs(resp, n, "writing/loss")
	refLog, movedLog, staleLog := logs(resp, n, "writing/reference"), logs(resp, n, "writing/moved"), logs(resp, n, "writing/stale")
	replayLog := logs(resp, n, "writing/replayed")
	counts := map[string]int64{}
	var nMoved, nStale int64
	for k, j := range jobs {
		r, err := s.cfg.Rewards.Reward(outcomes[k])
		if err != nil {
			return unavailable("judge", "label %d: %v", j.i, err)
		}
		resp.Rewards[j.i] = r
		resp.Scores[j.i] = (r - s.cfg.Rewards.Loss) / (s.cfg.Rewards.Win - s.cfg.Rewards.Loss)
		switch outcomes[k] {
		case rewards.Win:
			win[j.i] = 1
		case rewards.Tie:
			tie[j.i] = 1
		case rewards.Loss:
			loss[j.i] = 1
		}
		counts[outcomes[k].String()]++
		refLog[j.i] = float64(j.ref)
		if replayed {
			replayLog[j.i] = 1
		}
		if moved[k] {
			movedLog[j.i] = 1
			nMoved++
		}
		if stale[k] {
			staleLog[j.i] = 1
			nStale++
		}
	}
	s.metrics.add(func(m *metrics) {
		m.rewards["writing"] += int64(len(jobs))
		for k, v := range counts {
			m.outcomes[k] += v
		}
		m.moves += nMoved
		m.stale += nStale
		if replayed {
			m.replays++
		}
	})
	return nil
}

// reference is the index of the reference sample id meets in st: its pointer clamped to
// the strongest of rungs (0 for a sample never seen).
func reference(st *schedule.State, id string, rungs int) int {
	ss := st.Samples[id]
	if ss == nil {
		return 0
	}
	c := *ss
	c.Rungs = rungs
	return c.Reference()
}
