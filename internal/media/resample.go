package media

import "math"

// The resize of qwen-vl-utils: torchvision.transforms.functional.resize(video, [h, w],
// BICUBIC, antialias=True) on the uint8 RGB frames. torchvision casts them to float32,
// runs torch's separable antialiased bicubic (_upsample_bicubic2d_aa: PIL's kernel,
// a = -0.5, widened by the scale when shrinking), horizontal pass first, clamps to
// 0..255 and rounds half to even. resampleRGB does the same arithmetic in float32.

// bicubicA is the bicubic kernel's parameter in PIL and torch's antialiased resize.
const bicubicA = -0.5

// bicubic is the bicubic convolution kernel with a = bicubicA (Keys).
func bicubic(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return ((bicubicA+2)*x-(bicubicA+3))*x*x + 1
	case x < 2:
		return (((x-5)*x+8)*x - 4) * bicubicA
	}
	return 0
}

// taps are the filter of one pass: output pixel i reads input pixels start[i] to
// start[i]+size[i]-1 with weights w[i*n:].
type taps struct {
	start, size []int
	w           []float32
	n           int
}

// bicubicTaps computes torch's antialiased bicubic weights for resizing in pixels to
// out (torch's _compute_weights_aa): scale = in/out, support 2*scale when shrinking
// (2 when enlarging), each output pixel centred at scale*(i+0.5), its weights normalised
// to sum 1, taps outside the input dropped (not clamped).
func bicubicTaps(in, out int) taps {
	scale := float64(float32(in) / float32(out))
	support, invscale := 2.0, 1.0
	if scale >= 1 {
		support, invscale = 2*scale, 1/scale
	}
	n := int(math.Ceil(support))*2 + 1
	t := taps{start: make([]int, out), size: make([]int, out), w: make([]float32, out*n), n: n}
	for i := range out {
		center := scale * (float64(i) + 0.5)
		xmin := max(int(center-support+0.5), 0)
		xsize := min(int(center+support+0.5), in) - xmin
		xsize = min(xsize, n)
		w := t.w[i*n : i*n+xsize]
		total := 0.0
		ws := make([]float64, xsize)
		for j := range ws {
			ws[j] = bicubic((float64(j+xmin) - center + 0.5) * invscale)
			total += ws[j]
		}
		for j := range ws {
			if total != 0 {
				ws[j] /= total
			}
			w[j] = float32(ws[j])
		}
		t.start[i], t.size[i] = xmin, xsize
	}
	return t
}

// resampleRGB resizes src, w x h packed RGB24 pixels with rows stride bytes apart, to
// dst, dw x dh packed RGB24 (rows dw*3 bytes apart), as torchvision's antialiased
// bicubic resize does (see above). Equal sizes copy the pixels.
func resampleRGB(dst []byte, dw, dh int, src []byte, stride, w, h int) {
	if dw == w && dh == h {
		for y := range h {
			copy(dst[y*dw*3:(y+1)*dw*3], src[y*stride:])
		}
		return
	}
	tx, ty := bicubicTaps(w, dw), bicubicTaps(h, dh)
	// Horizontal pass: h rows of dw float pixels.
	mid := make([]float32, h*dw*3)
	for y := range h {
		row := src[y*stride:]
		out := mid[y*dw*3:]
		for x := range dw {
			ws := tx.w[x*tx.n : x*tx.n+tx.size[x]]
			p := row[tx.start[x]*3:]
			var r, g, b float32
			for j, wt := range ws {
				r += float32(p[j*3]) * wt
				g += float32(p[j*3+1]) * wt
				b += float32(p[j*3+2]) * wt
			}
			out[x*3], out[x*3+1], out[x*3+2] = r, g, b
		}
	}
	// Vertical pass, then clamp and round half to even as torchvision does for uint8.
	acc := make([]float32, dw*3)
	for y := range dh {
		clear(acc)
		ws := ty.w[y*ty.n : y*ty.n+ty.size[y]]
		for j, wt := range ws {
			row := mid[(ty.start[y]+j)*dw*3 : (ty.start[y]+j+1)*dw*3]
			for k, v := range row {
				acc[k] += v * wt
			}
		}
		out := dst[y*dw*3 : (y+1)*dw*3]
		for k, v := range acc {
			out[k] = toByte(v)
		}
	}
}

// toByte clamps v to 0..255 and rounds it half to even (torch.round).
func toByte(v float32) byte {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return byte(math.RoundToEven(float64(v)))
}
