package curriculum

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/transforms"
)

func init() {
	register.DoFn3x0[transforms.Line, func(string, int64), func(layout.DeadLetter)](&validateFn{})
	register.DoFn5x1[[]byte, func(*string, *[]byte) bool, func(string, int64), func(string, string), func(string, int64), error](&drawFn{})
	register.DoFn3x1[transforms.Line, func(*string, *int64) bool, func(string), error](&emitChosenFn{})
	register.Iter2[string, []byte]()
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
// combines their line numbers into a bitmap per block (BlockKey: at most BlockLines
// lines; validBitsFn, a lifted combine, so no group ever holds one element per row); one
// DoFn with the bitmaps as side input (BlockLines/8 bytes a block) draws each source's
// quota of indices (Draw), locates them (Locate) and names the chosen rows (nthLine); a
// second read emits them, through a map side input of the chosen row keys (O(total)
// small records; never a row's text), each with mix_key
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
	var blocks, tallies, dead, rows []beam.PCollection
	for _, src := range o.Sources {
		b, t, d := countBlocks(s.Scope("Source."+src.Name), src.Name, src.Paths, job.MaxLineBytes)
		blocks, tallies, dead = append(blocks, b...), append(tallies, t...), append(dead, d...)
	}
	draw := &drawFn{Seed: o.Seed, Total: o.Total, Replace: o.WithReplacement, Quotas: map[string]int64{}}
	for i, src := range o.Sources {
		draw.Names = append(draw.Names, src.Name)
		draw.Weights = append(draw.Weights, src.Weight)
		draw.Quotas[src.Name] = quotas[i]
	}
	drawTallies, extras, chosen := beam.ParDo3(s, draw, beam.Impulse(s), beam.SideInput{Input: beam.Flatten(s, blocks...)})
	for _, src := range o.Sources {
		ss := s.Scope("Emit." + src.Name)
		for _, p := range SplitPaths(joinPaths(src.Paths)) {
			lines, _ := transforms.ReadLines(ss, p, job.MaxLineBytes) // its dead letters are the first read's
			rows = append(rows, beam.ParDo(ss, &emitChosenFn{Source: src.Name, Seed: o.Seed}, lines, beam.SideInput{Input: chosen}))
		}
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

// countBlocks is the first read of one source: per path, its lines are validated, their
// bad rows dead-lettered, and the valid ones combined into one bitmap per block
// (validBitsFn); it returns the per-path bitmaps (KV<BlockKey, bits>), the read tallies
// and the dead letters. Nothing per row leaves a path's fused read: a Flatten of lines or
// of per-row records would make prism hold every one of them (a Flatten is a stage of
// its own, and prism keeps a stage's whole input), so only the small outputs are
// flattened.
func countBlocks(s beam.Scope, source string, paths []string, maxLineBytes int) (blocks, tallies, dead []beam.PCollection) {
	for _, p := range SplitPaths(joinPaths(paths)) {
		lines, readDead := transforms.ReadLines(s, p, maxLineBytes)
		valid, bad := beam.ParDo2(s, &validateFn{Source: source}, lines)
		blocks = append(blocks, beam.CombinePerKey(s, &validBitsFn{}, valid))
		dead = append(dead, readDead, bad)
		tallies = append(tallies, transforms.Tally(s, layout.CountRead, lines), transforms.Tally(s, layout.CountRead, readDead))
	}
	return blocks, tallies, dead
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

// validateFn passes a source's valid rows on as KV<BlockKey, line>.
type validateFn struct{ Source string }

func (fn *validateFn) ProcessElement(l transforms.Line, valid func(string, int64), dead func(layout.DeadLetter)) {
	if err := CheckRow(l.Text); err != nil {
		dead(layout.DeadLetter{File: l.File, Line: l.Number, Stage: "mix", Reason: err.Error(), Record: l.Text})
		return
	}
	valid(BlockKey(fn.Source, l.File, l.Number), l.Number)
}

// drawFn draws every source's quota from its blocks' bitmaps and emits the tallies, the
// manifest's "mix" extra and KV<RowKey, copies> per drawn row. A source that cannot give
// its quota fails the job with a *QuotaError (UnfillableQuota).
type drawFn struct {
	Seed    int64
	Total   int64
	Replace bool
	Names   []string // sources in flag order
	Weights []string
	Quotas  map[string]int64
}

func (fn *drawFn) ProcessElement(_ []byte, blocks func(*string, *[]byte) bool, tally func(string, int64), extra func(string, string), chosen func(string, int64)) error {
	bySource := map[string][]Block{}
	var key string
	var bits []byte
	for blocks(&key, &bits) {
		src, b, err := ParseBlockKey(key)
		if err != nil {
			return err
		}
		b.Bits, b.Rows = bits, countBits(bits)
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
		ss, err := fn.drawSource(name, bs, chosen)
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

// drawSource draws one source's quota over its sorted blocks and emits each drawn row's
// key with its copies (more than one only with replacement).
func (fn *drawFn) drawSource(name string, bs []Block, chosen func(string, int64)) (SourceSummary, error) {
	ss := SourceSummary{Name: name, Quota: fn.Quotas[name]}
	for _, b := range bs {
		ss.Rows += b.Rows
	}
	idx, err := Draw(fn.Seed, name, ss.Rows, ss.Quota, fn.Replace)
	if err != nil {
		return ss, err
	}
	for i, offs := range Locate(bs, idx) {
		for j := 0; j < len(offs); {
			n := 1
			for j+n < len(offs) && offs[j+n] == offs[j] {
				n++
			}
			line, err := nthLine(bs[i], offs[j])
			if err != nil {
				return ss, err
			}
			ss.Distinct++
			chosen(RowKey(name, bs[i].File, line), int64(n))
			j += n
		}
	}
	return ss, nil
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
