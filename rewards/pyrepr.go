package rewards

import (
	"math"
	"strconv"
)

// PyRepr returns the text Python 3 prints for the float f (repr and str agree):
// the shortest digits that round-trip, in positional form with at least one
// decimal ("8.0", "0.0001", "9999999999999998.0") when the decimal exponent e
// satisfies -4 <= e < 16, else in exponent form with a signed, at least two-digit
// exponent ("1e-05", "1e+16", "1.5e+300"); "inf", "-inf" and "nan" otherwise.
func PyRepr(f float64) string {
	var buf [32]byte
	return string(appendPyRepr(buf[:0], f))
}

// appendPyRepr appends PyRepr(f) to dst.
func appendPyRepr(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "nan"...)
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	}
	var tmp [32]byte
	sci := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64) // [-]d[.ddd]e±XX
	if sci[0] == '-' {
		dst = append(dst, '-')
		sci = sci[1:]
	}
	ePos := 0
	for sci[ePos] != 'e' {
		ePos++
	}
	mant, expText := sci[:ePos], sci[ePos+1:]
	exp := 0
	for _, c := range expText[1:] {
		exp = exp*10 + int(c-'0')
	}
	if expText[0] == '-' {
		exp = -exp
	}
	// digits without the point
	var digBuf [24]byte
	digits := append(digBuf[:0], mant[0])
	if len(mant) > 2 {
		digits = append(digits, mant[2:]...)
	}
	if exp < -4 || exp >= 16 {
		dst = append(dst, digits[0])
		if len(digits) > 1 {
			dst = append(dst, '.')
			dst = append(dst, digits[1:]...)
		}
		dst = append(dst, 'e')
		if exp < 0 {
			dst = append(dst, '-')
			exp = -exp
		} else {
			dst = append(dst, '+')
		}
		if exp < 10 {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, int64(exp), 10)
	}
	if exp < 0 {
		dst = append(dst, '0', '.')
		for i := -1; i > exp; i-- {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	intLen := exp + 1
	if len(digits) <= intLen {
		dst = append(dst, digits...)
		for i := len(digits); i < intLen; i++ {
			dst = append(dst, '0')
		}
		return append(dst, '.', '0')
	}
	dst = append(dst, digits[:intLen]...)
	dst = append(dst, '.')
	return append(dst, digits[intLen:]...)
}
