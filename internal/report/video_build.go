package report

import "fmt"

// OutcomeCount counts the samples for which one validation rule had one
// outcome (e.g. rule "gt_end_beyond_duration", outcome "clamped").
type OutcomeCount struct {
	Rule    string
	Outcome string
	Count   int64
}

// VideoBuildData is what the video build job knows at the end of a run.
type VideoBuildData struct {
	Run
	// SegmentsPerSample are the ground-truth segment counts per sample.
	SegmentsPerSample []int
	// SegmentDurationsSec are the lengths of all ground-truth segments.
	SegmentDurationsSec []float64
	// VideoDurationsSec are the probed durations of the videos.
	VideoDurationsSec []float64
	// FramesPerSample are the sampled frame counts (nframes) per sample.
	FramesPerSample []int
	// Rows is the number of written rows when SegmentsPerSample, SegmentDurationsSec and
	// FramesPerSample are drawn from a sample of fewer (the report then says so); 0 when
	// they cover every row.
	Rows int64
	// Validation are the outcomes per rule, in any order; rules and
	// outcomes are drawn in order of first appearance.
	Validation []OutcomeCount
	// DecodeFPS are the decode throughputs per video, in frames decoded
	// per wall-clock second.
	DecodeFPS []float64
	// Videos is the per-video table (at most MaxVideoRows rows) and VideoCount the
	// number of videos in all.
	Videos     []VideoRow
	VideoCount int
	// Thumbs are strips of sampled frames, one per video shown.
	Thumbs []ThumbStrip
	// Examples are the written samples with the smallest ids (at most
	// MaxVideoExamples are drawn), each on a timeline of its video.
	Examples []VideoExample
}

// MaxVideoRows is the most videos the per-video table lists.
const MaxVideoRows = 500

// VideoRow is one video of the per-video table.
type VideoRow struct {
	Video                 string
	DurationSec           float64
	Codec                 string
	Width, Height         int
	FPS                   float64
	Frames, Samples, Dead int
	Status                string // "ok", "reused", or why the video could not be used
}

// VideoBuild builds the report of a video build run: validation outcomes per
// rule, segments per sample, segment and video durations, frames per sample
// and decode throughput.
func VideoBuild(d VideoBuildData) *Report {
	rep := d.Run.start("video build")
	rules, outcomes := []string{}, []string{}
	ruleIdx, outIdx := map[string]int{}, map[string]int{}
	for _, v := range d.Validation {
		if _, ok := ruleIdx[v.Rule]; !ok {
			ruleIdx[v.Rule] = len(rules)
			rules = append(rules, v.Rule)
		}
		if _, ok := outIdx[v.Outcome]; !ok {
			outIdx[v.Outcome] = len(outcomes)
			outcomes = append(outcomes, v.Outcome)
		}
	}
	chart := &BarChart{ID: "validation", Title: "Validation outcomes per rule", Categories: rules, Stacked: true, ValueLabel: "samples"}
	table := &Table{Caption: "Validation outcomes", Header: []string{"rule", "outcome", "samples"}}
	for _, o := range outcomes {
		chart.Series = append(chart.Series, BarSeries{Name: o, Values: make([]float64, len(rules))})
	}
	for _, v := range d.Validation {
		chart.Series[outIdx[v.Outcome]].Values[ruleIdx[v.Rule]] += float64(v.Count)
		table.Rows = append(table.Rows, []string{v.Rule, v.Outcome, formatCount(v.Count)})
	}
	rep.Sections = append(rep.Sections,
		Section{Title: "Validation", Blocks: []Block{chart, table}},
		Section{Title: "Samples", Blocks: []Block{
			sampleNote(d),
			&Histogram{ID: "segments-per-sample", Title: "Ground-truth segments per sample", XLabel: "segments", YLabel: "samples", Values: ints(d.SegmentsPerSample), Integer: true},
			&Histogram{ID: "segment-durations", Title: "Segment durations", XLabel: "seconds", YLabel: "segments", Values: d.SegmentDurationsSec},
			&Histogram{ID: "video-durations", Title: "Video durations", XLabel: "seconds", YLabel: "videos", Values: d.VideoDurationsSec},
			&Histogram{ID: "frames-per-sample", Title: "Sampled frames per sample", XLabel: "frames", YLabel: "samples", Values: ints(d.FramesPerSample), Integer: true},
		}},
	)
	st := summarize(d.DecodeFPS)
	decode := []Block{&Histogram{ID: "decode-fps", Title: "Decode throughput per video", XLabel: "frames per second", YLabel: "videos", Values: d.DecodeFPS}}
	if st.N > 0 {
		decode = append(decode, Text(fmt.Sprintf("Median decode throughput %s frames/s over %s videos.", formatNum(st.Median, 1), formatCount(int64(st.N)))))
	}
	rep.Sections = append(rep.Sections, Section{Title: "Decoding", Blocks: decode})
	rep.Sections = append(rep.Sections, videosSection(d))
	if ex := videoExamplesSection(d); ex != nil {
		rep.Sections = append(rep.Sections, *ex)
	}
	return d.Run.finish(rep)
}

// sampleNote says that the per-sample distributions are from a uniform sample of the
// written rows, or is nil when they cover every row.
func sampleNote(d VideoBuildData) Block {
	n := int64(len(d.SegmentsPerSample))
	if d.Rows <= n {
		return nil
	}
	return Text(fmt.Sprintf("Segments, segment durations and frames per sample are from a uniform sample of %s of the job's %s written rows.",
		formatCount(n), formatCount(d.Rows)))
}

// videosSection is the per-video table and the frame strips.
func videosSection(d VideoBuildData) Section {
	t := &Table{Caption: "Per video", Header: []string{"video", "duration s", "codec", "resolution", "fps", "frames sampled", "samples", "dead letters", "status"}}
	for _, v := range d.Videos {
		res := ""
		if v.Width > 0 {
			res = fmt.Sprintf("%dx%d", v.Width, v.Height)
		}
		t.Rows = append(t.Rows, []string{v.Video, formatNum(v.DurationSec, 2), v.Codec, res, formatNum(v.FPS, 2),
			formatCount(int64(v.Frames)), formatCount(int64(v.Samples)), formatCount(int64(v.Dead)), v.Status})
	}
	blocks := []Block{t}
	if d.VideoCount > len(d.Videos) {
		blocks = append(blocks, Text(fmt.Sprintf("The first %d of %d videos (by path); the rest are in PREFIX/videos/.", len(d.Videos), d.VideoCount)))
	}
	if len(d.Thumbs) > 0 {
		blocks = append(blocks, &Thumbnails{Caption: "Sampled frames (evenly spaced, of the videos' first samples)", Strips: d.Thumbs})
	}
	return Section{Title: "Videos", Blocks: blocks}
}
