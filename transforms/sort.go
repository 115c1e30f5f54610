package transforms

import (
	"context"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/typex"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/util/reflectx"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

func init() {
	register.DoFn4x1[context.Context, string, []byte, func(Run), error](&spillEntriesFn{})
	register.DoFn3x1[context.Context, string, func(Run), error](&spillKeysFn{})
	register.Emitter1[Run]()
}

// SpillBudget is the default memory budget of SortRuns in one process: the bytes of
// entries that the bundles spilling at once hold together. Each holds its share (the
// budget divided among them, at least 1 MiB) before it writes them out as a sorted run
// file, so a worker's memory does not grow with the number of bundles or sorts it runs.
var SpillBudget int64 = 32 << 20

// Sort configures an external sort: entries (key, value) are spread over Buckets by a
// hash of the key (ShardOf), sorted by (bucket, key, value) with memory bounded by
// BudgetBytes per process, and read back one part (a contiguous range of buckets) at a
// time, in that order, by MergePart.
//
// The sort runs in three steps, and only small records cross a shuffle:
//   - SortRuns: every bundle buffers its entries up to its share of the budget, sorts
//     them and writes them as a run file (a temporary name under Dir), and emits a Run
//     descriptor (path, rows, bytes, byte length of each bucket);
//   - SortParts: once all runs are written, one step sees only their descriptors, decides
//     the number of parts (Parts, or automatically from the totals) and emits, per part,
//     the byte range of every run that holds its buckets, reshuffled so that parts are
//     merged in parallel;
//   - MergePart, in the consumer's DoFn: a k-way merge of those ranges (blob.OpenRange)
//     into a callback, in sorted order.
//
// RemoveRuns then removes the run files once the consumers are done. Run files are
// ".tmp-" names, so when a job dies before that, the next run that publishes into the
// same folder removes them (RemoveUnlisted).
type Sort struct {
	Dir         string // folder of the run files, local or gs://; an output folder of the job
	Name        string // stem of the run file names
	Buckets     int    // number of buckets, at least 1
	BudgetBytes int64  // shared by the bundles spilling in a process; 0 means SpillBudget

	Parts     int   // number of parts; 0 decides from the totals of the runs (PartsFor)
	PartBytes int64 // automatic parts: at most about this many bytes of runs per part; 0 means AutoShardBytes
	PartRows  int64 // automatic parts: at most about this many entries per part; 0 means AutoShardRows
}

// SortRuns spills entries, a PCollection of KV<string, []byte> or of string (keys with
// empty values), as sorted run files and returns a PCollection of Run. A bundle without
// entries writes no run. It panics when entries is of another type (a programming error).
func SortRuns(s beam.Scope, cfg Sort, entries beam.PCollection) beam.PCollection {
	s = s.Scope("SortRuns")
	budget := cfg.BudgetBytes
	if budget <= 0 {
		budget = SpillBudget
	}
	spill := spill{Dir: cfg.Dir, Name: cfg.Name, Buckets: max(cfg.Buckets, 1), BudgetBytes: budget}
	t := entries.Type()
	switch {
	case typex.IsKV(t) && t.Components()[0].Type() == reflectx.String && t.Components()[1].Type() == reflectx.ByteSlice:
		return beam.ParDo(s, &spillEntriesFn{spill: spill}, entries)
	case t.Type() == reflectx.String:
		return beam.ParDo(s, &spillKeysFn{spill: spill}, entries)
	}
	panic(fmt.Sprintf("SortRuns of %v: want KV<string, []byte> or string", t))
}

// SortEntries sorts the entries of every collection of entries (each as SortRuns takes
// it): each is spilled where it is produced and only the run descriptors are
// flattened, so no entry crosses a shuffle. It returns the parts (SortParts) and the
// runs, for RemoveRuns once the parts are merged.
func SortEntries(s beam.Scope, cfg Sort, entries ...beam.PCollection) (parts, runs beam.PCollection) {
	all := make([]beam.PCollection, len(entries))
	for i, e := range entries {
		all[i] = SortRuns(s, cfg, e)
	}
	runs = beam.Flatten(s, all...)
	return SortParts(s, cfg, runs), runs
}

// spill is the configuration and per-bundle state of the spill DoFns.
type spill struct {
	Dir         string
	Name        string
	Buckets     int
	BudgetBytes int64

	sp *spiller
}

func (fn *spill) StartBundle(context.Context, func(Run)) {
	fn.sp = &spiller{dir: fn.Dir, name: fn.Name, buckets: fn.Buckets, budget: fn.BudgetBytes}
	fn.sp.start()
}

func (fn *spill) FinishBundle(ctx context.Context, emit func(Run)) error {
	err := fn.sp.finish(ctx, emit)
	fn.sp = nil
	return err
}

// spillEntriesFn spills KV<string, []byte> entries.
type spillEntriesFn struct{ spill }

func (fn *spillEntriesFn) ProcessElement(ctx context.Context, key string, value []byte, emit func(Run)) error {
	return fn.sp.add(ctx, key, value, emit)
}

// spillKeysFn spills string entries, as keys with empty values.
type spillKeysFn struct{ spill }

func (fn *spillKeysFn) ProcessElement(ctx context.Context, key string, emit func(Run)) error {
	return fn.sp.add(ctx, key, nil, emit)
}
