package report

import (
	"math"
	"reflect"
	"strconv"
	"testing"
)

func TestFormatCount(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"}, {-1234, "-1,234"}}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := formatCount(tc.in); got != tc.want {
				t.Errorf("formatCount(%d) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFormatNum(t *testing.T) {
	tests := []struct {
		name string
		v    float64
		prec int
		want string
	}{
		{"trailing zeros", 1.50, 3, "1.5"},
		{"integer", 2, 3, "2"},
		{"negative zero", -0.0001, 2, "0"},
		{"rounding", 2.71828, 2, "2.72"},
		{"nan", math.NaN(), 2, "NaN"},
		{"inf", math.Inf(-1), 2, "-Inf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := formatNum(tc.v, tc.prec); got != tc.want {
				t.Errorf("formatNum(%v, %d) = %q, want %q", tc.v, tc.prec, got, tc.want)
			}
		})
	}
}

func TestTicks(t *testing.T) {
	tests := []struct {
		name    string
		lo, hi  float64
		n       int
		want    []float64
		wantDec int
	}{
		{"0..10", 0, 10, 5, []float64{0, 2, 4, 6, 8, 10}, 0},
		{"0..1", 0, 1, 5, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}, 1},
		{"negative start", -1.951, 6.128, 6, []float64{0, 2, 4, 6}, 0},
		{"small span", 0.001, 0.004, 3, []float64{0.001, 0.002, 0.003, 0.004}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, dec := ticks(tc.lo, tc.hi, tc.n)
			if !reflect.DeepEqual(got, tc.want) || dec != tc.wantDec {
				t.Errorf("ticks(%v, %v, %d) = %v, %d; want %v, %d", tc.lo, tc.hi, tc.n, got, dec, tc.want, tc.wantDec)
			}
		})
	}
}

func TestLooksNumeric(t *testing.T) {
	tests := map[string]bool{"12,600": true, "54.2%": true, "$53.5": true, "-3": true, "level 0": false, "": false, "n/a": false}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			if got := looksNumeric(in); got != want {
				t.Errorf("looksNumeric(%q) = %v, want %v", in, got, want)
			}
		})
	}
}

// num parses a formatted coordinate.
func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("coordinate %q: %v", s, err)
	}
	return v
}
