package transforms

import (
	"bytes"
	"fmt"
	"strconv"
)

// lineNumberDigits is the width of a zero-padded line number in a line's sort value:
// enough for any int64.
const lineNumberDigits = 19

// LineSortValue encodes l as a sort value (Sort) that orders lines by file, then line
// number, bytewise: the file, a NUL (file names hold none), the line number zero-padded
// to 19 digits, then the text. DecodeLineSortValue reads it back.
func LineSortValue(l Line) []byte {
	b := make([]byte, 0, len(l.File)+1+lineNumberDigits+len(l.Text))
	b = append(b, l.File...)
	b = append(b, 0)
	b = fmt.Appendf(b, "%0*d", lineNumberDigits, l.Number)
	return append(b, l.Text...)
}

// DecodeLineSortValue decodes a value of LineSortValue.
func DecodeLineSortValue(b []byte) (Line, error) {
	i := bytes.IndexByte(b, 0)
	if i < 0 || len(b) < i+1+lineNumberDigits {
		return Line{}, fmt.Errorf("line sort value of %d bytes: %w", len(b), errCorruptRun)
	}
	n, err := strconv.ParseInt(string(b[i+1:i+1+lineNumberDigits]), 10, 64)
	if err != nil {
		return Line{}, fmt.Errorf("line sort value: %w: %v", errCorruptRun, err)
	}
	return Line{File: string(b[:i]), Number: n, Text: string(b[i+1+lineNumberDigits:])}, nil
}
