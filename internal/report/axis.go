package report

import "math"

// linear maps the domain [d0, d1] onto the range [r0, r1].
type linear struct{ d0, d1, r0, r1 float64 }

// at maps v; a degenerate domain maps everything to the range's middle.
func (s linear) at(v float64) float64 {
	if s.d1 == s.d0 {
		return (s.r0 + s.r1) / 2
	}
	return s.r0 + (v-s.d0)/(s.d1-s.d0)*(s.r1-s.r0)
}

// niceStep returns a step of 1, 2 or 5 times a power of ten that splits span
// into about n intervals.
func niceStep(span float64, n int) float64 {
	if span <= 0 || n < 1 || math.IsInf(span, 0) || math.IsNaN(span) {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / mag; {
	case f <= 1:
		return mag
	case f <= 2:
		return 2 * mag
	case f <= 5:
		return 5 * mag
	default:
		return 10 * mag
	}
}

// ticks returns the multiples of a nice step inside [lo, hi] (about n of
// them) and the number of decimals needed to print them.
func ticks(lo, hi float64, n int) ([]float64, int) {
	step := niceStep(hi-lo, n)
	dec := 0
	if step < 1 {
		dec = int(math.Ceil(-math.Log10(step) - 1e-9))
	}
	var out []float64
	first := math.Ceil(lo/step-1e-9) * step
	for i := 0; i < 1000; i++ {
		v := first + float64(i)*step
		if v > hi+step*1e-9 {
			break
		}
		out = append(out, roundTo(v, dec))
	}
	return out, dec
}

// intTicks is ticks restricted to whole numbers (step at least 1).
func intTicks(lo, hi float64, n int) []float64 {
	step := math.Max(1, niceStep(hi-lo, n))
	var out []float64
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9 && len(out) < 1000; v += step {
		out = append(out, v)
	}
	return out
}

// niceCeil rounds v up to the next multiple of a nice step for [0, v].
func niceCeil(v float64, n int) float64 {
	if v <= 0 {
		return 1
	}
	step := niceStep(v, n)
	return math.Ceil(v/step-1e-9) * step
}

// roundTo rounds v to dec decimals, removing float noise from tick values.
func roundTo(v float64, dec int) float64 {
	p := math.Pow(10, float64(dec))
	r := math.Round(v*p) / p
	if r == 0 {
		return 0
	}
	return r
}
