package annotations

import (
	"encoding/json"
	"fmt"
)

// Task is the kind of grounding question a sample asks.
type Task string

const (
	// TaskTVG is temporal video grounding: one moment described by a sentence.
	TaskTVG Task = "tvg"
	// TaskTAL is temporal action localisation: every instance of an action.
	TaskTAL Task = "tal"
)

// Valid reports whether t is one of the grounding tasks (tvg, tal).
func (t Task) Valid() bool { return t == TaskTVG || t == TaskTAL }

// Format names the annotation format a sample was read from.
type Format string

const (
	// FormatCharades is Charades-STA's `<id> <start> <end>##<sentence>` lines.
	FormatCharades Format = "charades_sta"
	// FormatETInstruct is E.T. Instruct 164K's JSON list.
	FormatETInstruct Format = "et_instruct"
	// FormatMuseg is MUSEG's own JSONL (idx, problem, solution, video, duration, task).
	FormatMuseg Format = "museg_jsonl"
)

// Sample is one grounding sample: a video, a question about it and the
// ground-truth segments in seconds. It is the record shared by the parsers,
// validation, the phase split and the Beam job.
type Sample struct {
	// Key identifies the sample: the format and a hash of the original
	// annotation text, so it does not depend on line numbers or file paths.
	Key string `json:"key"`
	// Video is the video path relative to the video root (as in the annotation).
	Video string `json:"video"`
	// Task is tvg or tal.
	Task Task `json:"task"`
	// Query is the sentence (tvg) or action name (tal), without trailing period.
	Query string `json:"query"`
	// Question is the question text shown to the model (no instruction).
	Question string `json:"question"`
	// Solution holds the ground-truth segments [start, end] in seconds.
	Solution [][2]float64 `json:"solution"`
	// Duration is the video duration in seconds; nil when unknown. After
	// Validate it holds the probed duration.
	Duration *float64 `json:"duration,omitempty"`
	// Format is the annotation format the sample was read from.
	Format Format `json:"source_format"`
	// Source is the dataset inside the format when known (E.T. Instruct's
	// "source", e.g. "didemo", "hacs").
	Source string `json:"source,omitempty"`
	// Origin is where the annotation was read (file:line or file[index]).
	Origin string `json:"origin,omitempty"`
	// Raw is the original annotation as JSON (a JSON string for Charades lines).
	Raw json.RawMessage `json:"raw"`
	// Fixes lists the changes applied, each "<rule>: <detail>" (see FixRule).
	Fixes []string `json:"fixes,omitempty"`
	// Phase is the training phase (1 or 2) once assigned, 0 before.
	Phase Phase `json:"phase,omitempty"`
}

// Location says where an annotation was read. Line is 1-based (0 when
// unknown, e.g. in a Beam textio read); Index is the 0-based element index in
// a JSON list (-1 when not applicable). Build it with LineAt or ElementAt.
type Location struct {
	File  string
	Line  int
	Index int
}

// LineAt returns the Location of line number line (1-based) of file.
func LineAt(file string, line int) Location { return Location{File: file, Line: line, Index: -1} }

// ElementAt returns the Location of element index (0-based) of a JSON list in file.
func ElementAt(file string, index int) Location { return Location{File: file, Index: index} }

// String formats the location as "file:line", "file[index]" or "file".
func (l Location) String() string {
	file := l.File
	if file == "" {
		file = "<input>"
	}
	switch {
	case l.Line > 0:
		return fmt.Sprintf("%s:%d", file, l.Line)
	case l.Index >= 0:
		return fmt.Sprintf("%s[%d]", file, l.Index)
	default:
		return file
	}
}

func durationPtr(v float64) *float64 { return &v }
