package serve

import (
	"context"
	"errors"

	"github.com/rlcurate/rlcurate/internal/judge"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/schedule"
)

// writingJob is one writing completion to judge, and what became of it.
type writingJob struct {
	i      int // index in the request
	id     string
	sample Sample
	ref    int // index of the reference it is judged against

	outcome rewards.Outcome
	note    string // why the answer the judge saw was empty (judge.Label.AnswerNote)
	moved   bool   // its outcome moved the sample's pointer
	stale   bool   // the sample's reference moved while it was judged: not applied
}

// scoreWriting fills the rewards of the writing items at idx. Each completion's answer
// (judge.LabelPairs; the whole completion under Config.KeepThinking) is judged
// (Config.Strategy) against its sample's current reference, read from the schedule once
// per request; its reward is Config.Rewards of the outcome. A completion cut off while
// thinking is judged as an empty answer: "writing/unclosed_think" is 1 for it and
// Response.AnswerNotes names it. Then every non-validation
// outcome is applied to the schedule in one atomic change (grouped with those of
// concurrent requests into one Store.Update, see committer), except outcomes whose
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
	jobs, err := s.writingJobs(ctx, items, idx)
	if err != nil {
		return err
	}
	if err := s.judgeWriting(ctx, items, jobs); err != nil {
		return err
	}
	replayed, err := s.applyWriting(ctx, req, items, jobs)
	if err != nil {
		return err
	}
	if err := s.fillWriting(resp, len(items), jobs, replayed); err != nil {
		return err
	}
	s.countWriting(jobs, replayed)
	return nil
}

// writingJobs finds the sample of each writing item at idx and the reference it meets in
// the schedule as it is now.
func (s *Server) writingJobs(ctx context.Context, items []item, idx []int) ([]writingJob, error) {
	jobs := make([]writingJob, len(idx))
	for k, i := range idx {
		id := items[i].label.SampleID
		smp, ok := s.cfg.Samples[id]
		if !ok || len(smp.References) == 0 {
			return nil, badRequest("label %d: unknown writing sample %q (not in --samples, or without references)", i, id)
		}
		jobs[k] = writingJob{i: i, id: id, sample: smp}
	}
	st, err := s.cfg.Store.Load(ctx)
	if err != nil {
		return nil, unavailable("schedule", "load the reference schedule: %v", err)
	}
	for k := range jobs {
		jobs[k].ref = reference(st, jobs[k].id, len(jobs[k].sample.References))
	}
	return jobs, nil
}

// judgeWriting labels every job (judge.LabelPairs, at most Config.JudgeWorkers calls in
// flight) and records its outcome; any failure is a 503.
func (s *Server) judgeWriting(ctx context.Context, items []item, jobs []writingJob) error {
	pairs := make([]judge.Pair, len(jobs))
	for k, j := range jobs {
		pairs[k] = judge.Pair{Prompt: j.sample.Prompt, Criteria: j.sample.Criteria,
			Policy: items[j.i].completion, Reference: j.sample.References[j.ref], KeepThinking: s.cfg.KeepThinking}
	}
	labels, err := judge.LabelPairs(ctx, s.cfg.Judge, s.cfg.Strategy, pairs, s.cfg.JudgeWorkers)
	var calls *judge.CallsError
	switch {
	case errors.As(err, &calls) && ctx.Err() != nil:
		return unavailable("timeout", "request timed out with %d of %d judge calls failed (first: %v)", calls.Failed, calls.Calls, calls.First)
	case err != nil:
		return unavailable("judge", "%v", err)
	}
	for k := range jobs {
		jobs[k].outcome, jobs[k].note = labels[k].Outcome, labels[k].AnswerNote
	}
	return nil
}

// applyWriting applies the outcomes of the non-validation jobs to the schedule in one
// atomic change, marking the jobs that moved a pointer or were stale. A request whose id
// the schedule has already recorded applies nothing and reports replayed. The change
// joins the next grouped update (committer) with those of concurrent requests, in
// arrival order; applyWriting returns once that update wrote it.
func (s *Server) applyWriting(ctx context.Context, req Request, items []item, jobs []writingJob) (replayed bool, err error) {
	samples := make([]string, 0, len(jobs))
	for _, j := range jobs {
		samples = append(samples, j.id)
	}
	err = s.commits.commit(ctx, func(st *schedule.State) error {
		for k := range jobs { // the update may be retried from a fresh state
			jobs[k].moved, jobs[k].stale = false, false
		}
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
				jobs[k].stale = true
				continue
			}
			obs := schedule.Observation{Sample: j.id, Rungs: len(j.sample.References), Outcome: j.outcome, Step: req.Step}
			_, mv, err := s.cfg.Rule.Apply(st, obs, s.cfg.Now())
			if err != nil {
				return err
			}
			jobs[k].moved = mv
		}
		return nil
	}, samples)
	if err != nil {
		return false, unavailable("schedule", "record outcomes in the reference schedule: %v", err)
	}
	return replayed, nil
}

// fillWriting writes each job's reward, score and writing/* logs into resp (n items).
func (s *Server) fillWriting(resp *Response, n int, jobs []writingJob, replayed bool) error {
	win, tie, loss := logs(resp, n, "writing/win"), logs(resp, n, "writing/tie"), logs(resp, n, "writing/loss")
	refLog, movedLog, staleLog := logs(resp, n, "writing/reference"), logs(resp, n, "writing/moved"), logs(resp, n, "writing/stale")
	replayLog, unclosedLog := logs(resp, n, "writing/replayed"), logs(resp, n, "writing/unclosed_think")
	flag := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	for _, j := range jobs {
		r, err := s.cfg.Rewards.Reward(j.outcome)
		if err != nil {
			return unavailable("judge", "label %d: %v", j.i, err)
		}
		resp.Rewards[j.i] = r
		resp.Scores[j.i] = (r - s.cfg.Rewards.Loss) / (s.cfg.Rewards.Win - s.cfg.Rewards.Loss)
		win[j.i], tie[j.i], loss[j.i] = flag(j.outcome == rewards.Win), flag(j.outcome == rewards.Tie), flag(j.outcome == rewards.Loss)
		refLog[j.i] = float64(j.ref)
		replayLog[j.i], movedLog[j.i], staleLog[j.i] = flag(replayed), flag(j.moved), flag(j.stale)
		unclosedLog[j.i] = flag(j.note == judge.NoteUnclosedThinking)
		if j.note != "" {
			if resp.AnswerNotes == nil {
				resp.AnswerNotes = make([]string, n)
			}
			resp.AnswerNotes[j.i] = j.note
		}
	}
	return nil
}

// countWriting adds the request's writing rewards, outcomes, moves, stale outcomes and
// replay to the service's metrics.
func (s *Server) countWriting(jobs []writingJob, replayed bool) {
	s.metrics.add(func(m *metrics) {
		m.rewards["writing"] += int64(len(jobs))
		for _, j := range jobs {
			m.outcomes[j.outcome.String()]++
			if j.moved {
				m.moves++
			}
			if j.stale {
				m.stale++
			}
		}
		if replayed {
			m.replays++
		}
	})
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
