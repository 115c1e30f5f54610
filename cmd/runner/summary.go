package main

import (
	"encoding/json"
	"io"
	"math"
	"time"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/launch"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/pipelines/video"
)

// summary is the last line a job prints on stdout, for scripts: what ran, how it ended,
// its counts and where its output is. Everything else a job prints goes to stderr.
type summary struct {
	Job      string           `json:"job"`
	ExitCode int              `json:"exit_code"`
	Counts   map[string]int64 `json:"counts"`
	Output   string           `json:"output"`
	Manifest string           `json:"manifest"` // "" when no manifest was published
	Seconds  float64          `json:"seconds"`
	Error    string           `json:"error,omitempty"`
	// MaxPromptLength is the longest prompt in tokens, for a job whose manifest reports
	// it (video build: extra "max_prompt_length"); verl's data.max_prompt_length.
	MaxPromptLength int64 `json:"max_prompt_length,omitempty"`
}

// writeSummary writes the summary of job name, which published m (or nothing: m.Job is
// then empty) under prefix, ended with err and took d, as one line of JSON to w.
func writeSummary(w io.Writer, name, prefix string, m layout.Manifest, err error, d time.Duration) {
	s := summary{Job: name, ExitCode: launch.ExitCode(err), Counts: m.Counts, Output: prefix,
		Seconds: math.Round(d.Seconds()*1000) / 1000}
	if s.Counts == nil {
		s.Counts = map[string]int64{}
	}
	if m.Job != "" {
		s.Manifest = blob.Join(prefix, "manifest.json")
	}
	if v, ok := m.Extra[video.MaxPromptLengthExtra]; ok {
		// A number, decoded (float64) or as the job wrote it (json.RawMessage).
		b, _ := json.Marshal(v)
		json.Unmarshal(b, &s.MaxPromptLength)
	}
	if err != nil {
		s.Error = err.Error()
	}
	b, _ := json.Marshal(s) // plain fields: cannot fail
	w.Write(append(b, '\n'))
}
