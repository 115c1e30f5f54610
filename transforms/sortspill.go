package transforms

import (
	"context"
	"slices"

	"github.com/rlcurate/rlcurate/internal/blob"
)

// entryOverhead is what the spill counts against its budget for one entry beyond its key
// and value bytes: the slice element and the string and slice headers.
const entryOverhead = 64

// spiller buffers the entries of one bundle and writes them as sorted run files: one
// whenever the buffer reaches its budget, and one for the rest at the end of the bundle.
type spiller struct {
	dir     string // folder of the run files
	name    string // stem of the run file names
	buckets int    // an entry's bucket is ShardOf(key, buckets)
	budget  int64  // bytes of entries held before a run is written

	entries []entry
	held    int64 // bytes counted against budget
}

// add buffers one entry and spills when the budget is reached, emitting the run.
func (sp *spiller) add(ctx context.Context, key string, value []byte, emit func(Run)) error {
	sp.entries = append(sp.entries, entry{bucket: ShardOf(key, sp.buckets), key: key, value: value})
	sp.held += int64(len(key)+len(value)) + entryOverhead
	if sp.held >= sp.budget {
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
