package sampling

import "math"

// roundByFactor is round(x / f) * f with Python's round (half to even).
func roundByFactor(x float64, f int) int {
	return int(math.RoundToEven(x/float64(f))) * f
}

// floorByFactor is math.floor(x / f) * f.
func floorByFactor(x float64, f int) int {
	return int(math.Floor(x/float64(f))) * f
}

// ceilByFactor is math.ceil(x / f) * f.
func ceilByFactor(x float64, f int) int {
	return int(math.Ceil(x/float64(f))) * f
}
