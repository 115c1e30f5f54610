package curriculum

import (
	"fmt"
	"strconv"
	"strings"
)

// BlockLines is how many input lines one block spans. A mix addresses a source's rows
// by block (file, line / BlockLines) and offset among the block's valid rows (in line
// order); a block's valid lines are a bitmap of BlockLines bits, so that mapping a drawn
// index to its row needs BlockLines/8 bytes per block, not one record per row.
const BlockLines = 1024

// Block is one block of a source, how many valid rows it holds and which (Bits: bit
// line % BlockLines set for each valid line; see validBitsFn).
type Block struct {
	File  string
	Index int64 // line / BlockLines (lines are 1-based)
	Rows  int64
	Bits  []byte
}

// BlockKey is the Beam key of a source's block: source, file and index, "\x00"-joined.
func BlockKey(source, file string, line int64) string {
	return source + "\x00" + file + "\x00" + strconv.FormatInt(line/BlockLines, 10)
}

// ParseBlockKey splits a BlockKey.
func ParseBlockKey(key string) (source string, b Block, err error) {
	parts := strings.Split(key, "\x00")
	if len(parts) != 3 {
		return "", b, fmt.Errorf("block key %q", key)
	}
	b.File = parts[1]
	b.Index, err = strconv.ParseInt(parts[2], 10, 64)
	return parts[0], b, err
}

// RowKey names one row of a source: source, file and line, "\x00"-joined.
func RowKey(source, file string, line int64) string {
	return source + "\x00" + file + "\x00" + strconv.FormatInt(line, 10)
}

// Locate maps indices (sorted ascending, into the rows of blocks taken in the order
// given) onto the blocks: out[i] are the offsets of block i's rows that were drawn, in
// ascending order, repeats kept. Indices past the last row are ignored.
func Locate(blocks []Block, idx []int64) [][]int64 {
	out := make([][]int64, len(blocks))
	var start int64 // index of the block's first row
	j := 0
	for i, b := range blocks {
		for j < len(idx) && idx[j] < start+b.Rows {
			out[i] = append(out[i], idx[j]-start)
			j++
		}
		start += b.Rows
	}
	return out
}
