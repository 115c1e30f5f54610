package curriculum

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register.DoFn4x0[transforms.Line, func(string, int64), func(string, int64), func(layout.DeadLetter)](&validateFn{})
	register.DoFn5x1[[]byte, func(*string, *int64) bool, func(string, int64), func(string, int64), func(string, string), error](&drawFn{})
	register.DoFn4x1[string, func(*int64) bool, func(*int64) bool, func(string, int64), error](&pickFn{})
	register.DoFn3x1[transforms.Line, func(*string, *int64) bool, func(string), error](&emitChosenFn{})
	register.Iter1[int64]()
	register.Iter2[string, int64]()
}

// ReservedKeys are the members a mixed row gains; an input row that already has one (a
// mixed output mixed again) is dead-lettered rather than given the key twice.
var ReservedKeys = []string{"mix_key", "mix_source"}

// MixOptions configures the curriculum mix job.
type MixOptions struct {
	Sources         []Source
	Total           int64
	Seed            int64
	Output          string
	WithReplacement bool
	Shards          int
}

// MixSummary is the manifest's extra "mix": the seed and each source's numbers.
type MixSummary struct {
	Seed            int64           `json:"seed"`
	Total           int64           `json:"total"`
	WithReplacement bool            `json:"with_replacement"`
	Sources         []SourceSummary `json:"sources"`
}

// SourceSummary is one source of a mix: its weight, quota, valid rows and distinct rows
// drawn (fewer than the quota only with replacement).
type SourceSummary struct {
	Name     string `json:"name"`
	Weight   string `json:"weight"`
	Quota    int64  `json:"quota"`
	Rows     int64  `json:"rows"`
	Distinct int64  `json:"distinct"`
}

// Mix builds the curriculum mix job. A first read validates every source's rows and
// counts them per block (BlockKey: at most BlockLines lines); one DoFn with the block
// counts as side input (small records) draws each source's quota of indices (Draw) and
// locates them (Locate); a CoGroupByKey per block of its row lines (int64) and drawn
// offsets names the chosen rows; a second read emits them, through a map side input of
// the chosen row keys (O(total) small records; never a row's text), each with mix_key
// (OrderKey) first and mix_source. The writer sorts rows within a shard, so mix_key
// leading the row makes every shard's order a seeded shuffle (and the shard a row lands
// in, chosen by a hash of its bytes, depends on the seed too).
//
// Accounting: read counts every line of the first read, plus each extra copy of a row
// drawn more than once (--with-replacement; counted as "repeats"): read = written +
// filtered (valid rows not drawn) + dead-lettered.
func Mix(s beam.Scope, job transforms.Job, o MixOptions) error {
	quotas, err := SourceQuotas(o.Sources, o.Total)
	if err != nil {
		return err
	}
	s = s.Scope("CurriculumMix")
	var valid, ones, tallies, dead, rows []beam.PCollection
	for _, src := range o.Sources {
		ss := s.Scope("Source." + src.Name)
		lines, readDead := ReadAll(ss, joinPaths(src.Paths), job.MaxLineBytes)
		v, one, bad := beam.ParDo3(ss, &validateFn{Source: src.Name}, lines)
		valid, ones = append(valid, v), append(ones, one)
		dead = append(dead, readDead, bad)
		tallies = append(tallies, transforms.Tally(ss, layout.CountRead, lines), transforms.Tally(ss, layout.CountRead, readDead))
	}
	blocks := stats.SumPerKey(s, beam.Flatten(s, ones...))
	draw := &drawFn{Seed: o.Seed, Total: o.Total, Replace: o.WithReplacement, Quotas: map[string]int64{}}
	for i, src := range o.Sources {
		draw.Names = append(draw.Names, src.Name)
		draw.Weights = append(draw.Weights, src.Weight)
		draw.Quotas[src.Name] = quotas[i]
	}
	offsets, drawTallies, extras := beam.ParDo3(s, draw, beam.Impulse(s), beam.SideInput{Input: blocks})
	chosen := beam.ParDo(s, &pickFn{}, beam.CoGroupByKey(s, beam.Flatten(s, valid...), offsets))
	for _, src := range o.Sources {
		ss := s.Scope("Emit." + src.Name)
		lines, _ := ReadAll(ss, joinPaths(src.Paths), job.MaxLineBytes) // its dead letters are the first read's
		rows = append(rows, beam.ParDo(ss, &emitChosenFn{Source: src.Name, Seed: o.Seed}, lines, beam.SideInput{Input: chosen}))
	}
	transforms.WriteManifest(s, job, transforms.Accounts{
		Tallies: append(tallies, drawTallies),
		Shards: []beam.PCollection{
			transforms.WriteJSONL(s, transforms.Sink{Prefix: o.Output, Output: layout.DataOutput, Name: "mix", Shards: o.Shards}, beam.Flatten(s, rows...)),
			transforms.WriteDeadLetters(s, o.Output, 1, dead...),
		},
		Extras: []beam.PCollection{extras},
	})
	return nil
}

func joinPaths(paths []string) string {
	out := ""
	for i, p := range paths {
		if i > 0 {
			out += ","
		}
		out += p
	}
	return out
}

// CheckRow reports why a row cannot be mixed: not a JSON object, or already holding a
// reserved key.
func CheckRow(row string) error {
	members, err := objectMembers(row)
	if err != nil {
		return err
	}
	for _, m := range members {
		for _, k := range ReservedKeys {
			if m.key == k {
				return fmt.Errorf("row already has %s (a mixed output mixed again?)", k)
			}
		}
	}
	return nil
}

// validateFn passes a source's valid rows on as KV<BlockKey, line> and KV<BlockKey, 1>.
type validateFn struct{ Source string }

func (fn *validateFn) ProcessElement(l transforms.Line, valid, one func(string, int64), dead func(layout.DeadLetter)) {
	if err := CheckRow(l.Text); err != nil {
		dead(layout.DeadLetter{File: l.File, Line: l.Number, Stage: "mix", Reason: err.Error(), Record: l.Text})
		return
	}
	k := BlockKey(fn.Source, l.File, l.Number)
	valid(k, l.Number)
	one(k, 1)
}

// drawFn draws every source's quota from its block counts and emits KV<BlockKey, offset>
// per drawn row, the tallies and the manifest's "mix" extra. A source that cannot give
// its quota fails the job with a *QuotaError (UnfillableQuota).
type drawFn struct {
	Seed    int64
	Total   int64
	Replace bool
	Names   []string // sources in flag order
	Weights []string
	Quotas  map[string]int64
}

func (fn *drawFn) ProcessElement(_ []byte, blocks func(*string, *int64) bool, offsets, tally func(string, int64), extra func(string, string)) error {
	bySource := map[string][]Block{}
	var key string
	var n int64
	for blocks(&key, &n) {
		src, b, err := ParseBlockKey(key)
		if err != nil {
			return err
		}
		b.Rows = n
		bySource[src] = append(bySource[src], b)
	}
	sum := MixSummary{Seed: fn.Seed, Total: fn.Total, WithReplacement: fn.Replace}
	for i, name := range fn.Names {
		bs := bySource[name]
		sort.Slice(bs, func(a, b int) bool {
			if bs[a].File != bs[b].File {
				return bs[a].File < bs[b].File
			}
			return bs[a].Index < bs[b].Index
		})
		ss, err := fn.drawSource(name, bs, offsets)
		if err != nil {
			return err
		}
		ss.Weight = fn.Weights[i]
		sum.Sources = append(sum.Sources, ss)
		tally(layout.CountFiltered, ss.Rows-ss.Distinct)
		tally("repeats", ss.Quota-ss.Distinct)
		tally(layout.CountRead, ss.Quota-ss.Distinct)
		tally("rows."+name, ss.Rows)
		tally("drawn."+name, ss.Quota)
	}
	b, err := json.Marshal(sum)
	if err != nil {
		return err
	}
	extra("mix", string(b))
	return nil
}

// drawSource draws one source's quota over its sorted blocks and emits the offsets.
func (fn *drawFn) drawSource(name string, bs []Block, offsets func(string, int64)) (SourceSummary, error) {
	ss := SourceSummary{Name: name, Quota: fn.Quotas[name]}
	for _, b := range bs {
		ss.Rows += b.Rows
	}
	idx, err := Draw(fn.Seed, name, ss.Rows, ss.Quota, fn.Replace)
	if err != nil {
		return ss, err
	}
	for i, offs := range Locate(bs, idx) {
		k := BlockKey(name, bs[i].File, bs[i].Index*BlockLines)
		for j, off := range offs {
			if j == 0 || off != offs[j-1] {
				ss.Distinct++
			}
			offsets(k, off)
		}
	}
	return ss, nil
}

// pickFn names the drawn rows of one block: the block's valid lines in order, each
// offset choosing one; emits KV<RowKey, copies>.
type pickFn struct{}

func (*pickFn) ProcessElement(key string, lines, offsets func(*int64) bool, chosen func(string, int64)) error {
	var offs []int64
	var v int64
	for offsets(&v) {
		offs = append(offs, v)
	}
	if len(offs) == 0 {
		return nil
	}
	var ls []int64
	for lines(&v) {
		ls = append(ls, v)
	}
	src, b, err := ParseBlockKey(key)
	if err != nil {
		return err
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i] < ls[j] })
	copies := map[int64]int64{}
	for _, o := range offs {
		if o < 0 || o >= int64(len(ls)) {
			return fmt.Errorf("block %s: offset %d of %d rows", key, o, len(ls))
		}
		copies[ls[o]]++
	}
	for line, n := range copies {
		chosen(RowKey(src, b.File, line), n)
	}
	return nil
}

// emitChosenFn writes the drawn rows of one source: each copy with its mix_key first,
// then mix_source, then the row's own members.
// The chosen keys are read into a map once per DoFn instance (O(total) small records):
// a lookup per line through the runner's state API cost about 1.7 ms a line on prism.
type emitChosenFn struct {
	Source string
	Seed   int64
	chosen map[string]int64
}

func (fn *emitChosenFn) ProcessElement(l transforms.Line, chosen func(*string, *int64) bool, emit func(string)) error {
	if fn.chosen == nil {
		fn.chosen = map[string]int64{}
		var k string
		var n int64
		for chosen(&k, &n) {
			fn.chosen[k] += n
		}
	}
	copies := fn.chosen[RowKey(fn.Source, l.File, l.Number)]
	for c := range copies {
		row, err := Rewrite(l.Text, []Field{{Key: "mix_key", Value: OrderKey(fn.Seed, fn.Source, l.File, l.Number, c)}, {Key: "mix_source", Value: fn.Source}}, nil)
		if err != nil {
			return fmt.Errorf("%s:%d was drawn but no longer reads: %w", l.File, l.Number, err)
		}
		emit(row)
	}
	return nil
}
