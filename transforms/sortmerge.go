package transforms

import (
	"bufio"
	"container/heap"
	"context"
	"errors"
	"io"

	"github.com/rlcurate/rlcurate/internal/blob"
)

// MergeBufferBytes bounds the read buffers of one MergePart together: each of its k
// segments gets MergeBufferBytes/k, between 4 KiB and 256 KiB.
var MergeBufferBytes = 4 << 20

// MergePart reads the segments of part and calls fn with every entry in (bucket, key,
// value) order: a k-way merge of the sorted runs, holding one entry per run. Equal
// entries are all passed. value is only valid until fn returns. An error of fn or of a
// read stops the merge and is returned. A part without segments calls fn never.
func MergePart(ctx context.Context, part Part, fn func(key string, value []byte) error) error {
	bufSize := min(max(MergeBufferBytes/max(len(part.Segments), 1), 4<<10), 256<<10)
	var h cursorHeap
	defer func() {
		for _, c := range h {
			c.close()
		}
	}()
	for _, seg := range part.Segments {
		c, err := openCursor(ctx, seg, bufSize)
		if err != nil {
			return err
		}
		if c == nil {
			continue
		}
		h = append(h, c)
	}
	heap.Init(&h)
	for len(h) > 0 {
		c := h[0]
		if err := fn(c.e.key, c.e.value); err != nil {
			return err
		}
		switch err := c.rr.next(&c.e); {
		case errors.Is(err, io.EOF):
			heap.Pop(&h)
			c.close()
		case err != nil:
			return err
		default:
			heap.Fix(&h, 0)
		}
	}
	return nil
}

// cursor is one segment being merged: its reader and its current entry.
type cursor struct {
	rr     runReader
	e      entry
	closer io.Closer
}

// openCursor opens seg and reads its first entry; an empty segment gives nil.
func openCursor(ctx context.Context, seg Segment, bufSize int) (*cursor, error) {
	if seg.Length == 0 {
		return nil, nil
	}
	r, err := blob.OpenRange(ctx, seg.Path, seg.Offset, seg.Length)
	if err != nil {
		return nil, err
	}
	c := &cursor{rr: runReader{r: bufio.NewReaderSize(r, bufSize), left: seg.Length, path: seg.Path}, closer: r}
	if err := c.rr.next(&c.e); err != nil {
		r.Close()
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	return c, nil
}

func (c *cursor) close() {
	if c.closer != nil {
		c.closer.Close()
		c.closer = nil
	}
}

// cursorHeap orders cursors by their current entries (container/heap).
type cursorHeap []*cursor

func (h cursorHeap) Len() int           { return len(h) }
func (h cursorHeap) Less(i, j int) bool { return compareEntries(&h[i].e, &h[j].e) < 0 }
func (h cursorHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *cursorHeap) Push(x any)        { *h = append(*h, x.(*cursor)) }
func (h *cursorHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return c
}
