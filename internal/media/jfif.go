package media

import "math"

// rgbToJFIF writes the packed RGB24 image rgb (w x h, rows w*3 bytes apart) into the
// planes of a full-range YCbCr 4:2:0 image with JFIF's BT.601 equations (the ones every
// JPEG decoder inverts): Y per pixel, Cb and Cr from the mean of each 2x2 block (JPEG's
// chroma sits at the block's centre; a block cut by an odd edge averages what it has).
func rgbToJFIF(planes [][]byte, strides []int, rgb []byte, w, h int) {
	for y := range h {
		row, out := rgb[y*w*3:], planes[0][y*strides[0]:]
		for x := range w {
			r, g, b := float64(row[x*3]), float64(row[x*3+1]), float64(row[x*3+2])
			out[x] = clampByte(0.299*r + 0.587*g + 0.114*b)
		}
	}
	for cy := range (h + 1) / 2 {
		cb, cr := planes[1][cy*strides[1]:], planes[2][cy*strides[2]:]
		for cx := range (w + 1) / 2 {
			var r, g, b, n float64
			for y := 2 * cy; y < min(2*cy+2, h); y++ {
				for x := 2 * cx; x < min(2*cx+2, w); x++ {
					p := rgb[(y*w+x)*3:]
					r, g, b, n = r+float64(p[0]), g+float64(p[1]), b+float64(p[2]), n+1
				}
			}
			r, g, b = r/n, g/n, b/n
			cb[cx] = clampByte(-0.168736*r - 0.331264*g + 0.5*b + 128)
			cr[cx] = clampByte(0.5*r - 0.418688*g - 0.081312*b + 128)
		}
	}
}

// clampByte rounds v to the nearest integer in 0..255.
func clampByte(v float64) byte {
	return byte(min(max(math.Round(v), 0), 255))
}
