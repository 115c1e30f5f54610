package media

// rotatePlane writes src (w x h pixels of px bytes each, rows stride bytes apart)
// rotated clockwise by deg (90, 180 or 270) into dst, whose rows are dstStride bytes
// apart and whose size is h x w pixels for 90 and 270, w x h for 180.
func rotatePlane(dst []byte, dstStride int, src []byte, stride, w, h, px, deg int) {
	switch deg {
	case 90: // dst(x, y) = src(y, h-1-x): the bottom-left corner goes to the top-left.
		for y := 0; y < w; y++ {
			row := dst[y*dstStride:]
			for x := 0; x < h; x++ {
				copy(row[x*px:x*px+px], src[(h-1-x)*stride+y*px:])
			}
		}
	case 180:
		for y := 0; y < h; y++ {
			row := dst[y*dstStride:]
			srow := src[(h-1-y)*stride:]
			for x := 0; x < w; x++ {
				copy(row[x*px:x*px+px], srow[(w-1-x)*px:])
			}
		}
	case 270: // dst(x, y) = src(w-1-y, x): the top-right corner goes to the top-left.
		for y := 0; y < w; y++ {
			row := dst[y*dstStride:]
			for x := 0; x < h; x++ {
				copy(row[x*px:x*px+px], src[x*stride+(w-1-y)*px:])
			}
		}
	}
}
