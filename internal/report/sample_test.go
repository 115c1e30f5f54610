package report

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// sampleRun returns run metadata with balanced counts and a few reasons.
func sampleRun(prefix string) Run {
	return Run{
		Prefix: prefix,
		Params: []KV{{"--input", "gs://bucket/in/*.jsonl"}, {"--output", prefix}, {"--runner", "dataflow"}},
		Counts: Counts{Read: 5000, Written: 1500, Filtered: 3460, DeadLettered: 40, Extra: map[string]int64{"judge_retries": 17, "cache_hits": 120}},
		DeadLetters: []ReasonCount{
			{"judge: no score after 3 tries", 21}, {"prompt: empty", 11}, {"references: fewer than 2", 8},
		},
	}
}

// clamp limits v to [lo, hi].
func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// sampleWritingSelect is a plausible select run.
func sampleWritingSelect() WritingSelectData {
	r := rand.New(rand.NewPCG(1, 2))
	d := WritingSelectData{Run: sampleRun("gs://bucket/runs/select-01"), Strategy: "margin", Candidates: 5000, Selected: 1500}
	th := 1.25
	d.MarginThreshold = &th
	for i := 0; i < 400; i++ {
		p := clamp(6+r.NormFloat64()*1.1, 1, 10)
		n := 2 + r.IntN(4)
		ladder := make([]float64, n)
		for k := range ladder {
			ladder[k] = clamp(6.5+r.NormFloat64()*0.9, 1, 10)
		}
		sortFloats(ladder)
		best := ladder[n-1]
		d.PolicyScores = append(d.PolicyScores, p)
		d.BestReferenceScores = append(d.BestReferenceScores, best)
		d.Margins = append(d.Margins, best-p)
		if best-p >= th {
			d.SelectedMargins = append(d.SelectedMargins, best-p)
		} else {
			d.RejectedMargins = append(d.RejectedMargins, best-p)
		}
		d.ReferenceScores = append(d.ReferenceScores, ladder)
	}
	d.Examples = []WritingExample{{ID: "wb-0042", Prompt: "Write a product announcement for a solar kettle.", Policy: "Introducing the SunBoil ...", BestReference: "Meet SunBoil: water boiled by daylight ...", Margin: 2.5}}
	d.Judge = JudgeStats{Calls: 19880, CacheHits: 120, Failures: 21, PromptTokens: 41_000_000, CompletionTokens: 6_200_000, CostUSD: 53.5}
	return d
}

// sortFloats sorts xs ascending (insertion sort; tiny inputs).
func sortFloats(xs []float64) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// sampleWritingLabel is a plausible label/advance run.
func sampleWritingLabel() WritingLabelData {
	r := rand.New(rand.NewPCG(3, 4))
	d := WritingLabelData{Run: sampleRun("gs://bucket/runs/label-07"), LastStep: 405, Samples: 1500, Mastered: 212}
	d.Outcomes = []LevelOutcome{
		{Level: 2, Wins: 310, Ties: 280, Losses: 610, Failures: 9},
		{Level: 0, Wins: 2100, Ties: 900, Losses: 700, Failures: 12},
		{Level: 1, Wins: 900, Ties: 700, Losses: 800, Failures: 10},
		{Level: 3, Wins: 90, Ties: 120, Losses: 500, Failures: 4},
	}
	for s := 0; s < 30; s++ {
		p := SampleProgress{SampleID: fmt.Sprintf("lw-%04d", s*37), History: []LevelAt{{Step: 0, Level: 0}}}
		level, step := 0, int64(0)
		for level < 3 {
			step += int64(40 + r.IntN(260))
			if step > 405 {
				break
			}
			level++
			p.History = append(p.History, LevelAt{Step: step, Level: level})
		}
		d.Progress = append(d.Progress, p)
	}
	d.Judge = JudgeStats{Calls: 12960, Failures: 35, PromptTokens: 30_000_000, CompletionTokens: 4_000_000, CostUSD: 41.2}
	return d
}

// sampleVideoBuild is a plausible build run.
func sampleVideoBuild() VideoBuildData {
	r := rand.New(rand.NewPCG(5, 6))
	d := VideoBuildData{Run: sampleRun("gs://bucket/runs/video-build-02"), VideoCount: 600}
	d.Videos = []VideoRow{
		{Video: "Charades_v1/0A8CF.mp4", DurationSec: 30.6, Codec: "h264", Width: 480, Height: 270, FPS: 29.97, Frames: 61, Samples: 4, Status: "ok"},
		{Video: "Charades_v1/0BX9N.mp4", DurationSec: 31.1, Codec: "h264", Width: 480, Height: 360, FPS: 30, Frames: 62, Samples: 3, Dead: 1, Status: "ok"},
		{Video: "Charades_v1/ZZXQF.mp4", Samples: 2, Dead: 2, Status: "video_invalid: moov atom not found"},
	}
	d.Counts = Counts{Read: 12600, Written: 12090, Filtered: 110, DeadLettered: 400}
	d.DeadLetters = []ReasonCount{{"decode: moov atom not found", 250}, {"gt: reversed segment", 2}, {"probe: no video stream", 148}}
	for i := 0; i < 600; i++ {
		dur := 10 + r.Float64()*240
		d.VideoDurationsSec = append(d.VideoDurationsSec, dur)
		n := 1
		if r.IntN(2) == 0 {
			n = 1 + r.IntN(10)
		}
		d.SegmentsPerSample = append(d.SegmentsPerSample, n)
		for k := 0; k < n; k++ {
			d.SegmentDurationsSec = append(d.SegmentDurationsSec, 0.5+r.ExpFloat64()*8)
		}
		d.FramesPerSample = append(d.FramesPerSample, min(448, int(dur*2)/2*2))
		d.DecodeFPS = append(d.DecodeFPS, 300+r.NormFloat64()*60)
	}
	d.Examples = sampleVideoExamples()
	d.Validation = []OutcomeCount{
		{"segments overlap", "flagged", 109}, {"end beyond duration", "clamped", 410},
		{"end beyond duration", "flagged", 38}, {"zero-length segment", "dead-lettered", 5},
		{"reversed segment", "dead-lettered", 2}, {"video missing", "dead-lettered", 148},
	}
	return d
}

// sampleVideoExamples are four samples: one segment, several, overlapping ones, and one
// that ends after the video.
func sampleVideoExamples() []VideoExample {
	frames := func(n int, dur float64) []float64 {
		ts := make([]float64, n)
		for i := range ts {
			ts[i] = dur * float64(i) / float64(n)
		}
		return ts
	}
	return []VideoExample{
		{ID: "charades-0a1f", Video: "Charades_v1/0A8CF.mp4", Task: "tvg", Query: "person opens the refrigerator.", DurationSec: 30.6,
			Segments: [][2]float64{{4.2, 11.8}}, FrameTimesSec: frames(32, 30.6)},
		{ID: "charades-0b77", Video: "Charades_v1/0BX9N.mp4", Task: "tal", Query: "Holding a cup", DurationSec: 31.1,
			Segments: [][2]float64{{0, 3.5}, {9.1, 14}, {20.4, 27.9}}, FrameTimesSec: frames(32, 31.1)},
		{ID: "charades-0c03", Video: "Charades_v1/1C3QA.mp4", Task: "tvg",
			Query:       "A person is sitting at a desk typing on a laptop, then they stand up, walk to the window and open the curtains.",
			DurationSec: 24, Segments: [][2]float64{{2, 12.5}, {10, 16}, {15.5, 22}}, FrameTimesSec: frames(24, 24)},
		{ID: "charades-0d9e", Video: "Charades_v1/ZQ2WE.mp4", Task: "tvg", Query: "person laughs at the television.", DurationSec: 18.2,
			Segments: [][2]float64{{12.3, 19.6}}, FrameTimesSec: frames(16, 18.2)},
	}
}

// sampleWritingAdvance is a plausible advance over 1,500 samples and four levels.
func sampleWritingAdvance() WritingAdvanceData {
	return WritingAdvanceData{Run: sampleRun("gs://bucket/runs/advance-04"), Moves: 540, SamplesMoved: 498, Mastered: 212, Samples: 1500,
		LevelsBefore: map[int]int{0: 620, 1: 410, 2: 300, 3: 170},
		LevelsAfter:  map[int]int{0: 310, 1: 480, 2: 410, 3: 300}}
}

// sampleVideoScore is a plausible score run with two phases.
func sampleVideoScore() VideoScoreData {
	r := rand.New(rand.NewPCG(7, 8))
	d := VideoScoreData{Run: sampleRun("gs://bucket/runs/video-score-03")}
	fmtVals := []float64{0, 0.2, 0.6, 1}
	for _, phase := range []string{"phase 1", "phase 2"} {
		p := PhaseRewards{Phase: phase}
		for i := 0; i < 800; i++ {
			f := fmtVals[r.IntN(4)]
			if r.IntN(2) == 0 {
				f = 1
			}
			g := clamp(0.45+r.NormFloat64()*0.2, 0, 1)
			l := clamp(0.55+r.NormFloat64()*0.15, 0, 1)
			p.Format = append(p.Format, f)
			p.Global = append(p.Global, g)
			p.Local = append(p.Local, l)
			p.Total = append(p.Total, f+g+l)
		}
		d.Phases = append(d.Phases, p)
	}
	return d
}

// sampleReports are the job reports with sample data, by file stem.
func sampleReports() map[string]*Report {
	return map[string]*Report{
		"writing-select":  WritingSelect(sampleWritingSelect()),
		"writing-label":   WritingLabel(sampleWritingLabel()),
		"writing-advance": WritingAdvance(sampleWritingAdvance()),
		"video-build":     VideoBuild(sampleVideoBuild()),
		"video-score":     VideoScore(sampleVideoScore()),
	}
}
