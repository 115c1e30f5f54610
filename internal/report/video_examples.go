package report

import (
	"fmt"
	"strconv"
)

// MaxVideoExamples is the most example samples the video build report draws.
const MaxVideoExamples = 6

// VideoExample is one written sample of a video build, drawn on its video's timeline.
type VideoExample struct {
	ID, Video, Task string
	// Query is the sentence or action name the question asks about.
	Query string
	// DurationSec is the video's probed duration in seconds.
	DurationSec float64
	// Segments are the ground-truth segments [start, end] in seconds.
	Segments [][2]float64
	// FrameTimesSec are the sampled frames' timestamps in seconds.
	FrameTimesSec []float64
}

// videoExamplesSection draws each example (at most MaxVideoExamples) as a Timeline captioned
// with its query, with its video, id, task and counts in notes; nil without examples.
func videoExamplesSection(d VideoBuildData) *Section {
	if len(d.Examples) == 0 {
		return nil
	}
	ex := d.Examples[:min(len(d.Examples), MaxVideoExamples)]
	intro := fmt.Sprintf("%d written samples, those with the smallest ids (a stable choice: ids are hashes). "+
		"Bars are the ground-truth segments (start–end in seconds), ticks under them the sampled frames.", len(ex))
	blocks := []Block{Text(intro)}
	for i, e := range ex {
		tl := &Timeline{ID: "example-" + strconv.Itoa(i+1), Title: truncate(e.Query, 60), DurationSec: e.DurationSec,
			Segments: e.Segments, FrameTimesSec: e.FrameTimesSec}
		if tl.Title != e.Query {
			tl.Notes = append(tl.Notes, "query: "+e.Query)
		}
		tl.Notes = append(tl.Notes,
			fmt.Sprintf("video %s · id %s · task %s", e.Video, e.ID, e.Task),
			fmt.Sprintf("duration %s s · %s · %s", formatNum(e.DurationSec, 2), plural(len(e.Segments), "segment"), plural(len(e.FrameTimesSec), "sampled frame")))
		blocks = append(blocks, tl)
	}
	return &Section{Title: "Example samples", Blocks: blocks}
}

// plural is "1 segment", "3 segments".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return formatCount(int64(n)) + " " + noun + "s"
}
