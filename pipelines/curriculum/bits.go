package curriculum

import (
	"fmt"
	"math/bits"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

func init() {
	register.Combiner3[[]byte, int64, []byte](&validBitsFn{})
}

// bitsBytes is the size of a block's bitmap of valid lines: one bit per line of the
// block (bit line % BlockLines), so BlockLines/8 bytes whatever the rows' sizes.
const bitsBytes = BlockLines / 8

// validBitsFn combines the valid line numbers of one block into its bitmap. It is a
// combine, lifted by the runner: each bundle sends one bitmap per block to the group,
// never one element per row, so a mix's memory is O(blocks), not O(rows).
type validBitsFn struct{}

func (*validBitsFn) CreateAccumulator() []byte { return make([]byte, bitsBytes) }

func (*validBitsFn) AddInput(a []byte, line int64) []byte {
	a = grow(a)
	i := line % BlockLines
	a[i/8] |= 1 << (i % 8)
	return a
}

func (*validBitsFn) MergeAccumulators(a, b []byte) []byte {
	a = grow(a)
	for i := range min(len(b), bitsBytes) {
		a[i] |= b[i]
	}
	return a
}

func (*validBitsFn) ExtractOutput(a []byte) []byte { return grow(a) }

// grow returns a as a whole bitmap (a decoded empty accumulator may be shorter).
func grow(a []byte) []byte {
	if len(a) >= bitsBytes {
		return a
	}
	return append(a, make([]byte, bitsBytes-len(a))...)
}

// countBits is the number of valid lines a block's bitmap holds.
func countBits(b []byte) int64 {
	var n int
	for _, x := range b {
		n += bits.OnesCount8(x)
	}
	return int64(n)
}

// nthLine returns the line number of the block's valid row at offset off (0-based, in
// line order): the block's first line plus the position of the off-th set bit.
func nthLine(b Block, off int64) (int64, error) {
	seen := int64(0)
	for i, x := range b.Bits {
		n := int64(bits.OnesCount8(x))
		if off >= seen+n {
			seen += n
			continue
		}
		for j := range 8 {
			if x&(1<<j) == 0 {
				continue
			}
			if seen == off {
				return b.Index*BlockLines + int64(i*8+j), nil
			}
			seen++
		}
	}
	return 0, fmt.Errorf("block %d of %s: offset %d of %d rows", b.Index, b.File, off, seen)
}
