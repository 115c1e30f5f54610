package media

import "testing"

func TestNALLengthSize(t *testing.T) {
	hvcc := make([]byte, 23)
	hvcc[0], hvcc[21] = 1, 0xff // lengthSizeMinusOne = 3
	tests := []struct {
		name   string
		codec  nalCodec
		extra  []byte
		want   int
		wantOK bool
	}{
		{"no extradata", nalH264, nil, 0, true},
		{"annex b 4-byte", nalH264, []byte{0, 0, 0, 1, 0x67}, 0, true},
		{"annex b 3-byte", nalHEVC, []byte{0, 0, 1, 0x40}, 0, true},
		{"avcC length 4", nalH264, []byte{1, 0x64, 0, 0x1f, 0xff, 0xe1}, 4, true},
		{"avcC length 2", nalH264, []byte{1, 0x64, 0, 0x1f, 0xfd, 0xe1}, 2, true},
		{"hvcC length 4", nalHEVC, hvcc, 4, true},
		{"short avcC", nalH264, []byte{1, 2}, 0, false},
		{"unknown", nalH264, []byte{7, 7, 7, 7, 7}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := nalLengthSize(tc.codec, tc.extra)
			if got != tc.want || ok != tc.wantOK {
				t.Fatalf("nalLengthSize = %d, %v; want %d, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestNALScan(t *testing.T) {
	// NAL headers: H.264 byte = ref_idc<<5 | type; HEVC 2 bytes = type<<1, tid+1.
	sei := []byte{0x06, 0xaa}
	h264B := []byte{0x01, 0x9a}   // ref_idc 0, non-IDR slice
	h264P := []byte{0x41, 0x9a}   // ref_idc 2, non-IDR slice
	h264IDR := []byte{0x65, 0x88} // ref_idc 3, IDR
	hevcTrailN := []byte{0 << 1, 1, 0xaf}
	hevcTrailR := []byte{1 << 1, 1, 0xaf}
	hevcRaslN := []byte{8 << 1, 1, 0xaf}
	hevcIDR := []byte{19 << 1, 1, 0xaf}
	hevcTrailNT1 := []byte{0 << 1, 2, 0xaf}
	lp := func(nals ...[]byte) []byte { // 4-byte length prefixes
		var b []byte
		for _, n := range nals {
			b = append(b, byte(len(n)>>24), byte(len(n)>>16), byte(len(n)>>8), byte(len(n)))
			b = append(b, n...)
		}
		return b
	}
	annexB := func(nals ...[]byte) []byte {
		var b []byte
		for _, n := range nals {
			b = append(b, 0, 0, 0, 1)
			b = append(b, n...)
		}
		return b
	}
	tests := []struct {
		name       string
		codec      nalCodec
		data       []byte
		lengthSize int
		wantNonRef bool
		wantTID    int
	}{
		{"h264 B slice after SEI", nalH264, lp(sei, h264B), 4, true, -1},
		{"h264 P slice", nalH264, lp(h264P), 4, false, -1},
		{"h264 IDR", nalH264, lp(sei, h264IDR), 4, false, -1},
		{"h264 two slices one ref", nalH264, lp(h264B, h264P), 4, false, -1},
		{"h264 annex b B slice", nalH264, annexB(sei, h264B), 0, true, -1},
		{"h264 annex b P slice", nalH264, annexB(h264P), 0, false, -1},
		{"h264 SEI only", nalH264, lp(sei), 4, false, -1},
		{"h264 bad length", nalH264, []byte{0, 0, 0, 9, 0x01}, 4, false, -1},
		{"hevc TRAIL_N", nalHEVC, lp(hevcTrailN), 4, true, 0},
		{"hevc RASL_N", nalHEVC, lp(hevcRaslN), 4, true, 0},
		{"hevc TRAIL_R", nalHEVC, lp(hevcTrailR), 4, false, 0},
		{"hevc IDR", nalHEVC, lp(hevcIDR), 4, false, 0},
		{"hevc TRAIL_N layer 1", nalHEVC, lp(hevcTrailNT1), 4, true, 1},
		{"hevc mixed layers", nalHEVC, lp(hevcTrailN, hevcTrailNT1), 4, true, -1},
		{"hevc annex b", nalHEVC, annexB(hevcTrailN), 0, true, 0},
		{"empty", nalH264, nil, 4, false, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nonRef, tid := nalScan(tc.codec, tc.data, tc.lengthSize)
			if nonRef != tc.wantNonRef || tid != tc.wantTID {
				t.Fatalf("nalScan = %v, %d; want %v, %d", nonRef, tid, tc.wantNonRef, tc.wantTID)
			}
		})
	}
}
