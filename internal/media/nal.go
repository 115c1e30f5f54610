package media

// This file finds, without decoding, the H.264 and HEVC packets no other frame refers to.

// nalCodec is the codec family whose NAL headers nalScan understands.
type nalCodec int

const (
	nalNone nalCodec = iota
	nalH264
	nalHEVC
)

// nalLengthSize returns the size in bytes of the NAL length prefix that the codec
// extradata (avcC or hvcC) announces, or 0 for Annex B start codes (no or Annex B
// extradata). ok is false for extradata it cannot read.
func nalLengthSize(codec nalCodec, extra []byte) (size int, ok bool) {
	if len(extra) == 0 || (len(extra) >= 3 && extra[0] == 0 && extra[1] == 0 && (extra[2] == 1 || (extra[2] == 0 && len(extra) >= 4 && extra[3] == 1))) {
		return 0, true
	}
	if extra[0] != 1 {
		return 0, false
	}
	switch codec {
	case nalH264:
		if len(extra) >= 5 {
			return int(extra[4]&3) + 1, true
		}
	case nalHEVC:
		if len(extra) >= 22 {
			return int(extra[21]&3) + 1, true
		}
	}
	return 0, false
}

// nalUnits calls fn with each NAL unit of a packet (length-prefixed when lengthSize > 0,
// else Annex B). It returns false if the packet is malformed.
func nalUnits(data []byte, lengthSize int, fn func(nal []byte)) bool {
	if lengthSize > 0 {
		for len(data) > 0 {
			if len(data) < lengthSize {
				return false
			}
			n := 0
			for _, b := range data[:lengthSize] {
				n = n<<8 | int(b)
			}
			data = data[lengthSize:]
			if n <= 0 || n > len(data) {
				return false
			}
			fn(data[:n])
			data = data[n:]
		}
		return true
	}
	start := -1
	for i := 0; i+2 < len(data); i++ {
		if data[i] == 0 && data[i+1] == 0 && data[i+2] == 1 {
			if start >= 0 {
				end := i
				if end > start && data[end-1] == 0 {
					end-- // 4-byte start code
				}
				fn(data[start:end])
			}
			start = i + 3
			i += 2
		}
	}
	if start < 0 {
		return false
	}
	fn(data[start:])
	return true
}

// nalScan describes one packet's slices: whether every slice is a non-reference picture
// (H.264: nal_ref_idc 0; HEVC: a sub-layer non-reference NAL type), and the HEVC temporal
// id of its slices (maxTID, -1 if none or mixed). A packet without slices, or one that
// cannot be parsed, is reported as a reference.
func nalScan(codec nalCodec, data []byte, lengthSize int) (nonRef bool, tid int) {
	slices, refs, tid := 0, 0, -1
	mixed := false
	ok := nalUnits(data, lengthSize, func(nal []byte) {
		if len(nal) == 0 {
			return
		}
		switch codec {
		case nalH264:
			typ := nal[0] & 0x1f
			if typ < 1 || typ > 5 {
				return
			}
			slices++
			if nal[0]>>5&3 != 0 || typ == 5 {
				refs++
			}
		case nalHEVC:
			if len(nal) < 2 {
				return
			}
			typ := nal[0] >> 1 & 0x3f
			if typ > 31 {
				return
			}
			slices++
			if typ >= 16 || typ%2 == 1 {
				refs++
			}
			t := int(nal[1]&7) - 1
			if tid == -1 && !mixed {
				tid = t
			} else if tid != t {
				mixed, tid = true, -1
			}
		}
	})
	if !ok || slices == 0 {
		return false, tid
	}
	return refs == 0, tid
}
