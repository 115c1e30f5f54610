package video

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"
	"unicode/utf8"

	"github.com/rlcurate/rlcurate/internal/annotations"
	"github.com/rlcurate/rlcurate/rewards"
)

// Row is one training sample of the video build job, a line of PREFIX/data/*.jsonl.
type Row struct {
	// ID is the sample's key (annotation format and a hash of its text).
	ID string `json:"id"`
	// Video is the video path as the annotation names it, relative to --videos.
	Video string `json:"video"`
	// Task is tvg or tal.
	Task annotations.Task `json:"task"`
	// Query is the sentence or action name the question asks about.
	Query string `json:"query"`
	// Question is the question text (no instruction).
	Question string `json:"question"`
	// Prompt is the question joined with the phase's instruction template.
	Prompt string `json:"prompt"`
	// Solution holds the validated ground-truth segments [start, end] in seconds.
	Solution [][2]float64 `json:"solution"`
	// Phase is the MUSEG training phase, 1 or 2.
	Phase int `json:"phase"`
	// Duration is the probed video duration in seconds (see VideoDurationSec).
	Duration float64 `json:"duration"`
	// Frames are the sampled frames, shared by every sample of the video.
	Frames Frames `json:"frames"`
	// Reward is the reward configuration of the sample's phase.
	Reward rewards.Plan `json:"reward"`
	// Format is the annotation format the sample was read from.
	Format annotations.Format `json:"format"`
	// Origin is where the annotation was read (file:line or file[index]).
	Origin string `json:"origin"`
	// Source is the original annotation (a JSON string for a Charades-STA line).
	Source json.RawMessage `json:"source"`
	// Fixes lists the changes made to the annotation, each "<rule>: <detail>"; never null.
	Fixes []string `json:"fixes"`
}

// Frames describes the sampled frames of a video as the trainer receives them.
type Frames struct {
	// Paths are the JPEG files, relative to the output prefix, in presentation order.
	Paths []string `json:"paths"`
	// Timestamps are each frame's presentation time in seconds from the first frame.
	Timestamps []float64 `json:"timestamps"`
	// FPS is the sample rate the trainer is told: nframes / total frames * video fps.
	FPS float64 `json:"fps"`
	// Width and Height are the frame size in pixels (multiples of 28).
	Width  int `json:"width"`
	Height int `json:"height"`
}

// VideoKey returns the filesystem-safe name of a video's frame folder: the path with
// every character outside [A-Za-z0-9._-] replaced by "_" (at most 80 of them kept),
// a "-" and 12 hex digits of an FNV-1a hash of the exact path, so two paths that
// sanitise alike ("a/b.mp4", "a_b.mp4") still get different folders. An empty path
// gives "video-<hash>".
func VideoKey(video string) string {
	h := fnv.New64a()
	h.Write([]byte(video))
	var b strings.Builder
	for _, r := range video {
		if b.Len() >= 80 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	name := strings.TrimLeft(b.String(), ".")
	if name == "" {
		name = "video"
	}
	return fmt.Sprintf("%s-%012x", name, h.Sum64()>>16)
}

// FramePath returns the path of a sampled frame relative to the output prefix:
// frames/<video key>/<frame index, 6 digits>.jpg. The index is the frame's position in
// the video (presentation order), not its position among the sampled frames.
func FramePath(videoKey string, frameIndex int) string {
	return fmt.Sprintf("frames/%s/%06d.jpg", videoKey, frameIndex)
}

// The stages of the video build pass these typed structs (registered with Beam in
// build.go), not encoded text:
//
//	parseFn  --KV<video, pending>-->  sort by video (buildVideos)  --Part-->  videoFn  --staged-->  phaseFn  --Row-->  encodeRow
//	                                                                          videoFn  --VideoRecord-->  encodeVideoRecord

// staged is a sample whose frames are written, waiting for its phase.
type staged struct {
	Row   Row    `json:"row"`
	Group string `json:"group"` // annotations.GroupKey(video, query)
}

// pending is a parsed annotation on its way to its video.
type pending struct {
	File   string             `json:"file"`
	Line   int64              `json:"line"`
	Record string             `json:"record"`
	Sample annotations.Sample `json:"sample"`
}

// validUTF8 returns p with every text field made valid UTF-8 the way encoding/json
// writes it (each invalid byte becomes U+FFFD), so the video stage orders, dedupes and
// groups samples on the text their rows and dead letters will hold. A Charades-STA line
// is plain text and may hold invalid bytes; the JSON formats' decoder already coerces.
func (p pending) validUTF8() pending {
	p.File, p.Record = jsonText(p.File), jsonText(p.Record)
	s := &p.Sample
	s.Key, s.Video, s.Query, s.Question = jsonText(s.Key), jsonText(s.Video), jsonText(s.Query), jsonText(s.Question)
	s.Task, s.Format = annotations.Task(jsonText(string(s.Task))), annotations.Format(jsonText(string(s.Format)))
	s.Source, s.Origin = jsonText(s.Source), jsonText(s.Origin)
	if s.Fixes != nil {
		fixes := make([]string, len(s.Fixes))
		for i, f := range s.Fixes {
			fixes[i] = jsonText(f)
		}
		s.Fixes = fixes
	}
	return p
}

// jsonText is s as encoding/json round-trips it: every byte that does not start a
// valid UTF-8 sequence replaced by U+FFFD.
func jsonText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// groupTally is the key of a (group, task) count for the phase split.
func groupTally(group string, task annotations.Task) string {
	return string(task) + "\x00" + group
}

// splitGroupTally reverses groupTally.
func splitGroupTally(k string) (group string, task annotations.Task) {
	t, g, _ := strings.Cut(k, "\x00")
	return g, annotations.Task(t)
}
