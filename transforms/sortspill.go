package transforms

import (
	"context"
	"slices"
	"sync/atomic"

	"github.com/rlcurate/rlcurate/internal/blob"
)

// entryOverhead is what the spill counts against its budget for one entry beyond its key
// and value bytes: the slice element and the string and slice headers.
const entryOverhead = 64

// minShare is the least a spiller may hold before it writes a run, however many share
// the budget (unless the budget itself is smaller), so that runs stay large enough to
// merge well.
const minShare = 1 << 20

// spilling counts the bundles of this process that are spilling (between start and
// finish): they share the budget, so the entries a worker holds stay within about one
// budget however many bundles and sorts run at once.
var spilling atomic.Int64

// spiller buffers the entries of one bundle and writes them as sorted run files: one
// whenever the buffer reaches its share of the budget, and one for the rest at the end
// of the bundle.
type spiller struct {
	dir     string // folder of the run files
	name    string // stem of the run file names
	buckets int    // an entry's bucket is ShardOf(key, buckets)
	budget  int64  // bytes of entries the spilling bundles of the process hold together

	entries []entry
	held    int64 // bytes counted against the budget
}

// start counts the spiller among those sharing the budget, until finish.
func (sp *spiller) start() { spilling.Add(1) }

// finish writes what is left as a last run and stops sharing the budget.
func (sp *spiller) finish(ctx context.Context, emit func(Run)) error {
	defer spilling.Add(-1)
	return sp.flush(ctx, emit)
}

// share is what the spiller may hold now: its budget divided among the spilling
// bundles, at least minShare (or the whole budget when that is smaller).
func (sp *spiller) share() int64 {
	return max(sp.budget/max(spilling.Load(), 1), min(sp.budget, minShare))
}

// add buffers one entry and spills when the share is reached, emitting the run.
func (sp *spiller) add(ctx context.Context, key string, value []byte, emit func(Run)) error {
	sp.entries = append(sp.entries, entry{bucket: ShardOf(key, sp.buckets), key: key, value: value})
	sp.held += int64(len(key)+len(value)) + entryOverhead
	if sp.held >= sp.share() {
		return sp.flush(ctx, emit)
	}
	return nil
}

// flush sorts the buffered entries, writes them as one run file and emits its
// descriptor. Nothing is written when the buffer is empty.
func (sp *spiller) flush(ctx context.Context, emit func(Run)) error {
	if len(sp.entries) == 0 {
		return nil
	}
	slices.SortFunc(sp.entries, func(a, b entry) int { return compareEntries(&a, &b) })
	run, err := writeRun(ctx, blob.TempName(blob.Join(sp.dir, sp.name+".run")), sp.entries)
	if err != nil {
		return err
	}
	clear(sp.entries) // drop the references, so the rows can be collected
	sp.entries, sp.held = sp.entries[:0], 0
	emit(run)
	return nil
}
