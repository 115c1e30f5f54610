package progress

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"
)

// The stages the judge client counts (internal/judge), shown together at the end of a
// progress line rather than as stages of their own.
const (
	JudgeCalls      = "judge.calls"      // HTTP attempts sent
	JudgeCacheHits  = "judge.cache_hits" // requests answered from the cache
	JudgeCostMicros = "judge.cost_micro_usd"
)

// BytesStage is the stage that counts input bytes read; with its total it gives the
// line's percentage and ETA (transforms.ProgressBytes).
const BytesStage = "read.bytes"

// AddJudge counts judge calls, cache hits and dollars spent.
func AddJudge(calls, cacheHits int64, costUSD float64) {
	if calls != 0 {
		Add(JudgeCalls, calls)
	}
	if cacheHits != 0 {
		Add(JudgeCacheHits, cacheHits)
	}
	if micros := int64(math.Round(costUSD * 1e6)); micros != 0 {
		Add(JudgeCostMicros, micros)
	}
}

// Report prints a progress Line to w every interval until stop is closed. With inPlace
// (w is a terminal) each line replaces the previous one and the last is erased at the
// end; otherwise every line stands on its own.
func Report(w io.Writer, interval time.Duration, stop <-chan struct{}, inPlace bool) {
	t := time.NewTicker(interval)
	defer t.Stop()
	start := time.Now()
	prev := map[string]int64{}
	for {
		select {
		case <-stop:
			if inPlace {
				io.WriteString(w, "\r\033[K")
			}
			return
		case <-t.C:
			now := Snapshot()
			line := Line(now, prev, totalsCopy(), interval, time.Since(start))
			if inPlace {
				io.WriteString(w, "\r\033[K"+line)
			} else {
				io.WriteString(w, line+"\n")
			}
			prev = now
		}
	}
}

func totalsCopy() map[string]int64 {
	mu.Lock()
	defer mu.Unlock()
	out := make(map[string]int64, len(totals))
	for k, v := range totals {
		out[k] = v
	}
	return out
}

// Line renders the progress of a job in one line: elapsed time; the input read (percent
// of its bytes, rate, ETA) while it is being read; the count of every other stage, the
// busiest first marked as the current stage with its rate; and the judge's calls, cache
// hits and cost so far when a judge is used.
func Line(now, prev, totals map[string]int64, interval, elapsed time.Duration) string {
	parts := []string{fmt.Sprintf("[%s]", elapsed.Round(time.Second))}
	if read := readPart(now, prev, totals, interval); read != "" {
		parts = append(parts, read)
	}
	parts = append(parts, stageParts(now, prev, totals, interval)...)
	if j := judgePart(now); j != "" {
		parts = append(parts, j)
	}
	return strings.Join(parts, " · ")
}

// readPart is "read 45.2% of 2.6 GB, 12.3k lines/s, ETA 1m20s", or without the
// percentage and ETA when the input size is unknown.
func readPart(now, prev, totals map[string]int64, interval time.Duration) string {
	lines, bytes, total := now["read"], now[BytesStage], totals[BytesStage]
	if lines == 0 && bytes == 0 {
		return ""
	}
	rate := perSecond(lines-prev["read"], interval)
	if total <= 0 {
		return fmt.Sprintf("read %s lines, %s/s", count(lines), count(int64(rate)))
	}
	s := fmt.Sprintf("read %.1f%% of %s, %s lines/s", 100*math.Min(1, float64(bytes)/float64(total)), size(total), count(int64(rate)))
	if byteRate := perSecond(bytes-prev[BytesStage], interval); byteRate > 0 && bytes < total {
		s += ", ETA " + (time.Duration(float64(total-bytes)/byteRate) * time.Second).Round(time.Second).String()
	}
	return s
}

// stageParts renders every stage but reading and the judge's, the one that moved most in
// the last interval first, as "now: score 1.2k (300/s)", the others as "write.data 900".
func stageParts(now, prev, totals map[string]int64, interval time.Duration) []string {
	var names []string
	for k := range now {
		if k != "read" && k != BytesStage && !strings.HasPrefix(k, "judge.") {
			names = append(names, k)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		di, dj := now[names[i]]-prev[names[i]], now[names[j]]-prev[names[j]]
		if di != dj {
			return di > dj
		}
		return names[i] < names[j]
	})
	var out []string
	for i, k := range names {
		if total := totalOf(totals, k); i == 0 && now[k] > prev[k] {
			out = append(out, fmt.Sprintf("now: %s %s%s (%s/s)", k, count(now[k]), total, count(int64(perSecond(now[k]-prev[k], interval)))))
		} else {
			out = append(out, fmt.Sprintf("%s %s%s", k, count(now[k]), total))
		}
	}
	return out
}

// totalOf is "/N" for a stage whose total is known, else "".
func totalOf(totals map[string]int64, stage string) string {
	if t := totals[stage]; t > 0 {
		return "/" + count(t)
	}
	return ""
}

// judgePart is "judge 120 calls, 30 cached, $0.12" when the judge was used.
func judgePart(now map[string]int64) string {
	calls, hits, micros := now[JudgeCalls], now[JudgeCacheHits], now[JudgeCostMicros]
	if calls == 0 && hits == 0 {
		return ""
	}
	return fmt.Sprintf("judge %s calls, %s cached, $%.2f", count(calls), count(hits), float64(micros)/1e6)
}

func perSecond(n int64, interval time.Duration) float64 {
	if interval <= 0 {
		return 0
	}
	return float64(n) / interval.Seconds()
}

// count renders n compactly: 950, 12.3k, 4.56M.
func count(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.2fM", float64(n)/1e6)
	case n >= 1e4:
		return fmt.Sprintf("%.1fk", float64(n)/1e3)
	default:
		return fmt.Sprint(n)
	}
}

// size renders a byte count: 512 B, 3.4 MB, 2.6 GB.
func size(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	default:
		return fmt.Sprintf("%d B", n)
	}
}
