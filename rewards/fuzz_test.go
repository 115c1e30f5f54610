package rewards

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func FuzzParsePyFloat(f *testing.F) {
	for _, s := range []string{"1.5", "+1e1", "1_0", "inf", "-nan", " \u30001\u3000", "\u0661.\u0662", "1__0", "0x1p3", "1e400", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParsePyFloat(s)
		if err != nil {
			return
		}
		if isDecimalLiteral(strings.TrimLeft(s, "+-")) {
			want, perr := strconv.ParseFloat(s, 64)
			if perr != nil && !math.IsInf(want, 0) && want != 0 {
				t.Fatalf("%q: strconv error %v", s, perr)
			}
			if want != v {
				t.Fatalf("%q: got %v, strconv %v", s, v, want)
			}
		}
		if !math.IsNaN(v) {
			back, err := ParsePyFloat(PyRepr(v))
			if err != nil || back != v {
				t.Fatalf("repr round trip of %v (%q): %v, %v", v, PyRepr(v), back, err)
			}
		}
	})
}

// FuzzReprMatch checks the tiny matcher against Go's regexp, whose leftmost-first
// semantics agree with Python's re for patterns made of literals, '.' and 'e+'.
func FuzzReprMatch(f *testing.F) {
	f.Add(13.9, "13.9 13x9 1339")
	f.Add(1e16, "1e16 1eee16 1e+16")
	f.Add(math.Inf(1), "inf infinity")
	f.Add(1e-5, "1e-05\n1e-05")
	f.Fuzz(func(t *testing.T, x float64, text string) {
		var b [32]byte
		pat := appendPyRepr(b[:0], x)
		p := compileRepr(pat)
		got := p.countMatches(text, math.MaxInt)
		want := len(regexp.MustCompile("(?s)"+string(pat)).FindAllStringIndex(text, -1))
		if got != want {
			t.Fatalf("count %q in %q = %d, regexp %d", pat, text, got, want)
		}
	})
}

func FuzzMuseg(f *testing.F) {
	for _, c := range []string{
		"<think>13.9 25.3</think><answer>13.90-25.30</answer>",
		"<think>0 0 1eee16</think><answer>0-1e16 nan-1 1-inf</answer>",
		"\u3000<think>x</think>\u2003<answer>\u0661-\u0662\x1c3-4-5</answer>",
		"</answer><answer><think></think>",
	} {
		f.Add(c, 1.0, 5.0)
	}
	f.Fuzz(func(t *testing.T, c string, s, e float64) {
		gt := [][2]float64{{s, e}, {e, e + 3}}
		for _, mode := range []Mode{Compat, Strict} {
			for _, phase := range []int{1, 2} {
				plan, _ := PlanFor(phase)
				sc, err := Museg(MusegInput{Completion: c, Solution: gt}, plan, mode)
				if err != nil {
					if mode == Compat {
						t.Fatalf("compat error: %v", err)
					}
					continue
				}
				switch sc.Format {
				case 0, 0.2, 0.6, 1:
				default:
					t.Fatalf("format %v", sc.Format)
				}
				if FormatScore(c, phase == 1, mode) != sc.Format {
					t.Fatalf("FormatScore disagrees with Museg")
				}
				if mode == Strict && !(sc.LocalMatching >= 0 && sc.LocalMatching <= 1) {
					t.Fatalf("strict local %v out of range", sc.LocalMatching)
				}
			}
		}
		_, _ = ParseAnswer(c)
	})
}

func FuzzParseVerdict(f *testing.F) {
	for _, s := range []string{"[[A]]", "x [[B]] y [[C]]", "A", "[[A]][[B]]", "[[[A]]]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := ParseVerdict(s)
		toks := map[Verdict]string{VerdictA: "[[A]]", VerdictB: "[[B]]", VerdictTie: "[[C]]"}
		if v == VerdictUnknown {
			for _, tok := range toks {
				if strings.Contains(s, tok) {
					t.Fatalf("%q holds %s but parsed unknown", s, tok)
				}
			}
			return
		}
		i := strings.LastIndex(s, toks[v])
		for w, tok := range toks {
			if w != v && strings.LastIndex(s, tok) > i {
				t.Fatalf("%q: %v is not the last verdict", s, v)
			}
		}
	})
}
