package curriculum

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/rewards"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register.DoFn3x0[transforms.Line, func(string, float64), func(layout.DeadLetter)](&parseRolloutFn{})
	register.Emitter2[string, float64]()
	register.Combiner3[Stats, float64, Stats](&statsFn{})
	register.DoFn5x1[string, Stats, func(string), func(string), func(string, int64), error](&judgeFn{})
	register.DoFn5x0[transforms.Line, func(*string, *Stats) bool, func(string), func(string, int64), func(layout.DeadLetter)](&joinFn{})
	register.Iter2[string, Stats]()
	register.Emitter1[string]()
	register.Emitter2[string, int64]()
	register.Emitter1[layout.DeadLetter]()
}

// StatsOutput is the output (PREFIX/stats/) holding every rolled sample's statistics and
// the rule's decision: listed in the manifest, not counted as written.
const StatsOutput = "stats"

// DifficultyOptions configures the curriculum difficulty job.
type DifficultyOptions struct {
	Rollouts     string // rollout reward rows (writing label or video score data), paths joined by ","
	Samples      string // optional sample rows to filter (paths joined by ","); "" writes one row per sample
	Output       string // output prefix
	Rule         Rule
	DropUnrolled bool   // drop --samples rows without rollouts instead of keeping them
	Rewards      string // paper or released: the writing reward values to normalise by
	Shards       int
}

// Row is a row of the difficulty job's data without --samples, and the difficulty object
// a sample row gains with --samples (without sample_id).
type Row struct {
	SampleID string  `json:"sample_id,omitempty"`
	N        int64   `json:"n"`
	Mean     float64 `json:"mean"`
	Std      float64 `json:"std"`
}

// StatsRow is a row of PREFIX/stats/: one per sample with rollouts, kept or not.
type StatsRow struct {
	SampleID string  `json:"sample_id"`
	N        int64   `json:"n"`
	Mean     float64 `json:"mean"`
	Std      float64 `json:"std"`
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
	Dropped  string  `json:"dropped,omitempty"` // the reason, "" when kept
}

// Difficulty builds the curriculum difficulty job: rollout rewards normalised and
// combined per sample (a Combine of Stats: constant space per sample, never a list of
// rollouts), judged by the rule. Without --samples the kept samples' Rows are the data;
// with it, each sample row is joined to its sample's Stats through a side input (a map
// of one small Stats per rolled sample: O(samples) small records, never the rows) and
// written unchanged plus a "difficulty" object, or dropped. Every rolled sample's
// StatsRow goes to PREFIX/stats/.
//
// Accounting: read counts the job's records, which are the samples (a rolled sample
// without --samples, a sample row with it), plus every dead-lettered line; rollouts
// aggregated into a sample count under "rollouts".
func Difficulty(s beam.Scope, job transforms.Job, o DifficultyOptions) error {
	if _, err := rewards.ParsePairwiseRewards(o.Rewards); err != nil {
		return err
	}
	s = s.Scope("CurriculumDifficulty")
	lines, readDead := ReadAll(s, o.Rollouts, job.MaxLineBytes)
	keyed, bad := beam.ParDo2(s, &parseRolloutFn{Rewards: o.Rewards}, lines)
	stats := beam.CombinePerKey(s, &statsFn{}, keyed)
	kept, statsRows, judged := beam.ParDo3(s, &judgeFn{Rule: o.Rule}, stats)
	tallies := []beam.PCollection{transforms.Tally(s, "rollouts", beam.DropValue(s, keyed)),
		transforms.Tally(s, layout.CountRead, readDead), transforms.Tally(s, layout.CountRead, bad)}
	dead := []beam.PCollection{readDead, bad}
	if o.Samples != "" {
		samples, samplesDead := ReadAll(s.Scope("Samples"), o.Samples, job.MaxLineBytes)
		var badSamples beam.PCollection
		kept, judged, badSamples = beam.ParDo3(s, &joinFn{Rule: o.Rule, DropUnrolled: o.DropUnrolled}, samples, beam.SideInput{Input: stats})
		tallies = append(tallies, transforms.Tally(s, layout.CountRead, samples), transforms.Tally(s, layout.CountRead, samplesDead))
		dead = append(dead, samplesDead, badSamples)
	} else {
		tallies = append(tallies, transforms.Tally(s, layout.CountRead, beam.DropValue(s, stats)))
	}
	transforms.WriteManifest(s, job, transforms.Accounts{
		Tallies: append(tallies, judged),
		Shards: []beam.PCollection{
			transforms.WriteJSONL(s, transforms.Sink{Prefix: o.Output, Output: layout.DataOutput, Name: "samples", Shards: o.Shards}, kept),
			transforms.WriteJSONL(s, transforms.Sink{Prefix: o.Output, Output: StatsOutput, Name: "stats", Shards: 1}, statsRows),
			transforms.WriteDeadLetters(s, o.Output, 1, dead...),
		},
	})
	return nil
}

// ReadAll reads the lines of every path of paths (joined by ","), as
// transforms.ReadLinesOf: one collection, no Flatten of lines.
func ReadAll(s beam.Scope, paths string, maxLineBytes int) (lines, dead beam.PCollection) {
	return transforms.ReadLinesOf(s, SplitPaths(paths), maxLineBytes)
}

// SplitPaths splits a comma-separated list of paths, dropping empty items.
func SplitPaths(paths string) []string {
	var out []string
	for _, p := range strings.Split(paths, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseRolloutFn reads a rollout reward row into KV<sample_id, normalised reward>.
type parseRolloutFn struct {
	Rewards string // paper or released
	scale   Scale
}

func (fn *parseRolloutFn) Setup() error {
	r, err := rewards.ParsePairwiseRewards(fn.Rewards)
	fn.scale = Scale{Writing: r}
	return err
}

func (fn *parseRolloutFn) ProcessElement(l transforms.Line, emit func(string, float64), dead func(layout.DeadLetter)) {
	r, err := fn.scale.ParseRollout([]byte(l.Text))
	if err != nil {
		dead(layout.DeadLetter{File: l.File, Line: l.Number, ID: r.SampleID, Stage: "rollout", Reason: err.Error(), Record: l.Text})
		return
	}
	emit(r.SampleID, r.Reward)
}

// statsFn combines rewards into Stats.
type statsFn struct{}

func (*statsFn) CreateAccumulator() Stats           { return Stats{} }
func (*statsFn) AddInput(a Stats, v float64) Stats  { return a.Add(v) }
func (*statsFn) MergeAccumulators(a, b Stats) Stats { return a.Merge(b) }
func (*statsFn) ExtractOutput(a Stats) Stats        { return a }

// judgeFn applies the rule to a sample's Stats: its Row when kept (the data without
// --samples), its StatsRow always, and the tallies of its decision.
type judgeFn struct{ Rule Rule }

func (fn *judgeFn) ProcessElement(id string, st Stats, kept, stats func(string), tally func(string, int64)) error {
	reason := fn.Rule.Judge(st)
	b, err := json.Marshal(StatsRow{SampleID: id, N: st.N, Mean: st.Mean(), Std: st.Std(), Min: st.Min, Max: st.Max, Dropped: reason})
	if err != nil {
		return fmt.Errorf("encode stats of %q: %w", id, err)
	}
	stats(string(b))
	if reason != "" {
		tally(reason, 1)
		tally(layout.CountFiltered, 1)
		return nil
	}
	b, err = json.Marshal(Row{SampleID: id, N: st.N, Mean: st.Mean(), Std: st.Std()})
	if err != nil {
		return fmt.Errorf("encode %q: %w", id, err)
	}
	kept(string(b))
	return nil
}

// joinFn looks a sample row's Stats up (side input, read into a map once per DoFn
// instance: one small Stats per rolled sample) and keeps the row, with its difficulty,
// or drops it; a row without rollouts is unrolled.
type joinFn struct {
	Rule         Rule
	DropUnrolled bool
	stats        map[string]Stats
}

func (fn *joinFn) ProcessElement(l transforms.Line, all func(*string, *Stats) bool, kept func(string), tally func(string, int64), dead func(layout.DeadLetter)) {
	if fn.stats == nil {
		fn.stats = map[string]Stats{}
		var k string
		var st Stats
		for all(&k, &st) {
			fn.stats[k] = fn.stats[k].Merge(st)
		}
	}
	reject := func(id, reason string) {
		dead(layout.DeadLetter{File: l.File, Line: l.Number, ID: id, Stage: "sample", Reason: reason, Record: l.Text})
	}
	id, err := SampleKey(l.Text)
	if err != nil || id == "" {
		reject(id, "sample row without an id (a JSON object with id or sample_id)")
		return
	}
	st := fn.stats[id]
	var difficulty *Row
	if st.N == 0 {
		tally(ReasonUnrolled, 1)
		if fn.DropUnrolled {
			tally(layout.CountFiltered, 1)
			return
		}
	} else if reason := fn.Rule.Judge(st); reason != "" {
		tally(reason, 1)
		tally(layout.CountFiltered, 1)
		return
	} else {
		difficulty = &Row{N: st.N, Mean: st.Mean(), Std: st.Std()}
	}
	row, err := Rewrite(l.Text, nil, []Field{{Key: "difficulty", Value: difficulty}})
	if err != nil {
		reject(id, err.Error())
		return
	}
	kept(row)
}
