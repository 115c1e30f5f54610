package transforms

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

func init() {
	register.DoFn3x1[[]byte, func(*Run) bool, func(Part), error](&planPartsFn{})
	register.Iter1[Run]()
	register.Emitter1[Part]()
}

// Part is one part of a sorted output: part Index of Of, the buckets
// [Index*B/Of, (Index+1)*B/Of) of B, with the byte range of every run file that holds
// entries of them. A part no run has entries for has no segments.
type Part struct {
	Index, Of int
	Segments  []Segment
}

// Segment is a byte range of a run file.
type Segment struct {
	Path           string
	Offset, Length int64
}

// SortParts decides the parts of a sort from its runs (a PCollection of Run, read as a
// side input: descriptors only) and returns them as a PCollection of Part, reshuffled so
// that a runner can merge them in parallel. Every part index from 0 to Of-1 is emitted,
// also when no entry falls into it, so that its consumer can write an empty shard.
func SortParts(s beam.Scope, cfg Sort, runs beam.PCollection) beam.PCollection {
	s = s.Scope("SortParts")
	parts := beam.ParDo(s, &planPartsFn{Buckets: max(cfg.Buckets, 1), Parts: cfg.Parts, PartBytes: cfg.PartBytes, PartRows: cfg.PartRows},
		beam.Impulse(s), beam.SideInput{Input: runs})
	return beam.Reshuffle(s, parts)
}

type planPartsFn struct {
	Buckets, Parts      int
	PartBytes, PartRows int64
}

func (fn *planPartsFn) ProcessElement(_ []byte, runs func(*Run) bool, emit func(Part)) error {
	var all []Run
	var r Run
	for runs(&r) {
		all = append(all, r)
	}
	n := fn.Parts
	if n <= 0 {
		var bytes, rows int64
		for _, r := range all {
			bytes += r.Bytes
			rows += r.Rows
		}
		n = PartsFor(bytes, rows, fn.PartBytes, fn.PartRows, fn.Buckets)
	}
	parts, err := planParts(all, fn.Buckets, n)
	if err != nil {
		return err
	}
	for _, p := range parts {
		emit(p)
	}
	return nil
}

// PartsFor returns the automatic number of parts of a sort whose runs hold bytes and
// rows in all: enough that no part holds more than about partBytes bytes or partRows
// rows (0: AutoShardBytes, AutoShardRows), at least 1 and at most buckets.
func PartsFor(bytes, rows, partBytes, partRows int64, buckets int) int {
	if partBytes <= 0 {
		partBytes = AutoShardBytes
	}
	if partRows <= 0 {
		partRows = AutoShardRows
	}
	n := max(ceilDiv(bytes, partBytes), ceilDiv(rows, partRows), 1)
	return int(min(n, int64(max(buckets, 1))))
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// partStart returns the first bucket of part i of n over buckets.
func partStart(i, n, buckets int) int { return int(int64(i) * int64(buckets) / int64(n)) }

// planParts splits buckets into n contiguous parts and returns, for each, the segment
// of every run that holds entries of it, in the order of the runs' paths.
func planParts(runs []Run, buckets, n int) ([]Part, error) {
	if n < 1 || n > buckets {
		return nil, fmt.Errorf("sort: %d parts of %d buckets", n, buckets)
	}
	runs = slices.Clone(runs)
	slices.SortFunc(runs, func(a, b Run) int { return strings.Compare(a.Path, b.Path) })
	parts := make([]Part, n)
	for i := range parts {
		parts[i] = Part{Index: i, Of: n}
	}
	for _, r := range runs {
		lengths, err := r.partLengths(buckets, n)
		if err != nil {
			return nil, err
		}
		var offset int64
		for i, length := range lengths {
			if length > 0 {
				parts[i].Segments = append(parts[i].Segments, Segment{Path: r.Path, Offset: offset, Length: length})
			}
			offset += length
		}
	}
	return parts, nil
}

// partLengths returns the bytes of the run in each of the n parts of buckets, reading
// its index once.
func (r Run) partLengths(buckets, n int) ([]int64, error) {
	lengths := make([]int64, n)
	bucket, part := -1, 0
	var total int64
	for b := r.Index; len(b) > 0; {
		gap, k := binary.Uvarint(b)
		if k <= 0 {
			return nil, fmt.Errorf("sort run %s: bad index", r.Path)
		}
		size, m := binary.Uvarint(b[k:])
		if m <= 0 {
			return nil, fmt.Errorf("sort run %s: bad index", r.Path)
		}
		b = b[k+m:]
		bucket += int(gap)
		if bucket >= buckets {
			return nil, fmt.Errorf("sort run %s: bucket %d of %d", r.Path, bucket, buckets)
		}
		for part+1 < n && bucket >= partStart(part+1, n, buckets) {
			part++
		}
		lengths[part] += int64(size)
		total += int64(size)
	}
	if total != r.Bytes {
		return nil, fmt.Errorf("sort run %s: index covers %d bytes of %d", r.Path, total, r.Bytes)
	}
	return lengths, nil
}
