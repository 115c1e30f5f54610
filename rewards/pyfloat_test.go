package rewards

import (
	"errors"
	"math"
	"testing"
)

// Expected values are what CPython 3.11's float() returns for each input.
func TestParsePyFloat(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name string
		in   string
		want float64 // NaN means nan
		ok   bool
	}{
		{"plain", "13.90", 13.9, true},
		{"plus sign", "+1.5", 1.5, true},
		{"minus sign", "-1.5", -1.5, true},
		{"exponent", "1e1", 10, true},
		{"exponent upper signed", "1E+1", 10, true},
		{"leading point", ".5", 0.5, true},
		{"trailing point", "5.", 5, true},
		{"underscore", "1_0", 10, true},
		{"underscores everywhere", "0_0.0_0", 0, true},
		{"underscore in exponent", "1e1_0", 1e10, true},
		{"double underscore", "1__0", 0, false},
		{"leading underscore", "_1", 0, false},
		{"trailing underscore", "1_", 0, false},
		{"underscore before point", "1_.5", 0, false},
		{"underscore after point", "1._5", 0, false},
		{"underscore before e", "1_e1", 0, false},
		{"underscore after e", "1e_10", 0, false},
		{"inf", "inf", inf, true},
		{"plus inf", "+inf", inf, true},
		{"minus Infinity", "-Infinity", math.Inf(-1), true},
		{"INFINITY", "INFINITY", inf, true},
		{"infinit", "infinit", 0, false},
		{"infi", "infi", 0, false},
		{"in_f", "in_f", 0, false},
		{"nan", "nan", math.NaN(), true},
		{"minus nan", "-nan", math.NaN(), true},
		{"NaN", "NaN", math.NaN(), true},
		{"nan1", "nan1", 0, false},
		{"surrounding spaces", " 1 ", 1, true},
		{"ideographic spaces", "\u30001\u3000", 1, true},
		{"NEL", "\u00851", 1, true},
		{"nbsp after", "1\u00a0", 1, true},
		{"ASCII FS is not stripped", "\x1c1", 0, false},
		{"ASCII FS after", "1\x1c", 0, false},
		{"arabic-indic digits", "\u0661\u0662", 12, true},
		{"arabic-indic with underscore", "\u0661_\u0662", 12, true},
		{"fullwidth", "\uff11.\uff15", 1.5, true},
		{"math bold seven", "\U0001D7D5", 7, true},
		{"overflow", "1e400", inf, true},
		{"underflow", "1e-400", 0, true},
		{"huge exponent", "1e99999999999999999999", inf, true},
		{"hex", "0x10", 0, false},
		{"inner space", "1 0", 0, false},
		{"empty", "", 0, false},
		{"spaces only", "   ", 0, false},
		{"point only", ".", 0, false},
		{"e1", "e1", 0, false},
		{"1e", "1e", 0, false},
		{"1.5e", "1.5e", 0, false},
		{"double sign", "++1", 0, false},
		{"exponent double sign", "1e+-1", 0, false},
		{"C suffix d", "1d", 0, false},
		{"C suffix f", "1f", 0, false},
		{"superscript two is not Nd", "\u00b2", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParsePyFloat(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("ParsePyFloat(%q) err = %v, want ok=%v", tc.in, err, tc.ok)
			}
			if err != nil {
				if !errors.Is(err, ErrPyFloat) {
					t.Errorf("err %v does not wrap ErrPyFloat", err)
				}
				return
			}
			if math.IsNaN(tc.want) != math.IsNaN(got) || !math.IsNaN(got) && got != tc.want {
				t.Errorf("ParsePyFloat(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

// Expected texts are CPython's repr of each float.
func TestPyRepr(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{8, "8.0"}, {13.9, "13.9"}, {0.03, "0.03"}, {100, "100.0"}, {0, "0.0"},
		{1e-5, "1e-05"}, {2.5e-5, "2.5e-05"}, {0.0001, "0.0001"}, {1.2345e-7, "1.2345e-07"},
		{1e16, "1e+16"}, {1e15, "1000000000000000.0"}, {9999999999999998, "9999999999999998.0"},
		{1.5e300, "1.5e+300"}, {1e100, "1e+100"}, {5e-324, "5e-324"},
		{0.30000000000000004, "0.30000000000000004"}, {123456789.123, "123456789.123"},
		{123456789012345680, "1.2345678901234568e+17"}, {-2.5, "-2.5"},
		{math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {math.NaN(), "nan"},
	}
	for _, tc := range tests {
		if got := PyRepr(tc.in); got != tc.want {
			t.Errorf("PyRepr(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Expected counts are len(re.findall(pattern, text, re.DOTALL)) in CPython.
func TestReprMatchCount(t *testing.T) {
	tests := []struct {
		name, pattern, text string
		want                int
	}{
		{"dot is a wildcard", "13.9", "13.9 13x9 1339 139", 3},
		{"dot matches newline (DOTALL)", "8.0", "8.0\n8\n0", 2},
		{"non-overlapping resume", "8.0", "8.08.0", 2},
		{"overlap not counted", "1.1", "1111", 1},
		{"dot matches one code point", "1.5", "1\u00e95 1\u00e9\u00e95", 1},
		{"plus quantifies e", "1e+16", "1e16 1eee16 116 1e+16", 2},
		{"negative exponent literal", "1e-05", "1e-05 1e05", 1},
		{"inf literal", "inf", "inf infinity INF", 2},
		{"nan literal", "nan", "nan banana NaN", 2},
		{"none", "25.3", "25", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := compileRepr([]byte(tc.pattern))
			if got := p.countMatches(tc.text, 100); got != tc.want {
				t.Errorf("count(%q in %q) = %d, want %d", tc.pattern, tc.text, got, tc.want)
			}
		})
	}
}
