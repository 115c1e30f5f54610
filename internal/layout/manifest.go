package layout

import (
	"errors"
	"fmt"
	"sort"
)

// The counts every manifest carries. Read = Written + Filtered + DeadLettered.
const (
	CountRead         = "read"
	CountWritten      = "written"
	CountFiltered     = "filtered"
	CountDeadLettered = "dead_lettered"
)

// The outputs every job may produce. DataOutput rows are what CountWritten counts and
// DeadLetterOutput rows are what CountDeadLettered counts; other outputs (per-sample
// scores, frame indexes) are listed but not counted.
const (
	DataOutput       = "data"
	DeadLetterOutput = "deadletter"
)

// Manifest is PREFIX/manifest.json, written last by every job. Its presence means the job
// finished and accounted for every record it read.
type Manifest struct {
	Job     string           `json:"job"`
	Version string           `json:"version"`
	Counts  map[string]int64 `json:"counts"` // read, written, filtered, dead_lettered, then job-specific tallies
	Shards  []Shard          `json:"shards"`
	Config  map[string]any   `json:"config"`
	Extra   map[string]any   `json:"extra,omitempty"` // job-specific summaries, e.g. judge usage
}

// ErrUnaccounted reports a job whose counts do not add up.
var ErrUnaccounted = errors.New("records unaccounted for")

// NewManifest builds a manifest from tallies and shards. Written and dead_lettered are
// the row counts of the data and dead-letter shards; read and filtered come from the
// tallies (missing means zero). Shards are sorted by output and path.
func NewManifest(job, version string, tallies map[string]int64, shards []Shard, config map[string]any) Manifest {
	counts := map[string]int64{CountRead: 0, CountFiltered: 0}
	for k, v := range tallies {
		counts[k] = v
	}
	counts[CountWritten], counts[CountDeadLettered] = 0, 0
	for _, s := range shards {
		switch s.Output {
		case DataOutput:
			counts[CountWritten] += s.Rows
		case DeadLetterOutput:
			counts[CountDeadLettered] += s.Rows
		}
	}
	sorted := append([]Shard(nil), shards...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].Output != sorted[j].Output {
			return sorted[i].Output < sorted[j].Output
		}
		return sorted[i].Path < sorted[j].Path
	})
	return Manifest{Job: job, Version: version, Counts: counts, Shards: sorted, Config: config}
}

// Check returns an error wrapping ErrUnaccounted unless read = written + filtered +
// dead_lettered.
func (m Manifest) Check() error {
	r, w, f, d := m.Counts[CountRead], m.Counts[CountWritten], m.Counts[CountFiltered], m.Counts[CountDeadLettered]
	if r != w+f+d {
		return fmt.Errorf("%w: read %d != written %d + filtered %d + dead-lettered %d (difference %d)",
			ErrUnaccounted, r, w, f, d, r-(w+f+d))
	}
	return nil
}
