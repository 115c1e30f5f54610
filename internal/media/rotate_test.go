package media

import (
	"slices"
	"testing"
)

func TestRotatePlane(t *testing.T) {
	// 3 x 2 source, stride 4 (one byte of padding per row):
	//   1 2 3
	//   4 5 6
	src := []byte{1, 2, 3, 0, 4, 5, 6, 0}
	tests := []struct {
		name      string
		deg       int
		dstStride int
		want      []byte
	}{
		// Clockwise quarter turn: 4 1 / 5 2 / 6 3.
		{"90", 90, 2, []byte{4, 1, 5, 2, 6, 3}},
		{"180", 180, 3, []byte{6, 5, 4, 3, 2, 1}},
		// Counterclockwise quarter turn: 3 6 / 2 5 / 1 4.
		{"270", 270, 2, []byte{3, 6, 2, 5, 1, 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dst := make([]byte, len(tc.want))
			rotatePlane(dst, tc.dstStride, src, 4, 3, 2, 1, tc.deg)
			if !slices.Equal(dst, tc.want) {
				t.Fatalf("rotatePlane(%d) = %v, want %v", tc.deg, dst, tc.want)
			}
		})
	}
}

func TestQuarterTurns(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want int
	}{{0, 0}, {90, 90}, {-90, 270}, {180, 180}, {-180, 180}, {270, 270}, {89.6, 90}, {359, 0}, {-450, 270}} {
		if got := quarterTurns(tc.in); got != tc.want {
			t.Errorf("quarterTurns(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
