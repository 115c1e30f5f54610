package serve

import (
	"math"
	"runtime"
	"sync"

	"github.com/rlcurate/rlcurate/rewards"
)

// musegChunk is the number of completions one goroutine scores at a time.
const musegChunk = 64

// scoreMuseg fills the rewards of the MUSEG items at idx: rewards.Museg under the label's
// phase plan and mode. Score is the total over its maximum (the sum of the plan's
// weights), clamped to [0, 1]. A total that is not finite (compat mode reproduces NaN
// for answers such as "1-inf") cannot travel in JSON: it is returned as 0 and counted in
// extra_logs["museg/nonfinite"] and the metrics. A strict-mode label whose solution
// cannot be scored is a bad request.
func (s *Server) scoreMuseg(items []item, idx []int, resp *Response) error {
	n := len(items)
	format, global, local, nonfinite := logs(resp, n, "museg/format"), logs(resp, n, "museg/global_matching"), logs(resp, n, "museg/local_matching"), logs(resp, n, "museg/nonfinite")
	errs := make([]error, len(idx))
	work := func(lo, hi int) {
		for k := lo; k < hi; k++ {
			i := idx[k]
			l := items[i].label
			mode := rewards.Compat
			if l.Mode == "strict" {
				mode = rewards.Strict
			}
			plan := s.plans[l.Phase]
			sc, err := rewards.Museg(rewards.MusegInput{Completion: items[i].completion, Solution: l.Solution}, plan, mode)
			if err != nil {
				errs[k] = badRequest("label %d: %v", i, err)
				continue
			}
			total := sc.Total
			if math.IsNaN(total) || math.IsInf(total, 0) {
				total, nonfinite[i] = 0, 1
			}
			resp.Rewards[i] = total
			if top := plan.Weights.Format + plan.Weights.Global + plan.Weights.Local; top > 0 {
				resp.Scores[i] = min(max(total/top, 0), 1)
			}
			format[i], global[i], local[i] = finite(sc.Format), finite(sc.GlobalMatching), finite(sc.LocalMatching)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), (len(idx)+musegChunk-1)/musegChunk)
	if workers <= 1 {
		work(0, len(idx))
	} else {
		var wg sync.WaitGroup
		per := (len(idx) + workers - 1) / workers
		for lo := 0; lo < len(idx); lo += per {
			wg.Add(1)
			go func(lo, hi int) {
				defer wg.Done()
				work(lo, hi)
			}(lo, min(lo+per, len(idx)))
		}
		wg.Wait()
	}
	var bad int64
	for k, err := range errs {
		if err != nil {
			return err
		}
		bad += int64(nonfinite[idx[k]])
	}
	s.metrics.add(func(m *metrics) {
		m.rewards["museg"] += int64(len(idx))
		m.nonfinite += bad
	})
	return nil
}

func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

// logs returns the extra_logs series name, created with n zeros if missing.
func logs(resp *Response, n int, name string) []float64 {
	l, ok := resp.ExtraLogs[name]
	if !ok {
		l = make([]float64, n)
		resp.ExtraLogs[name] = l
	}
	return l
}
