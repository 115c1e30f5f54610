package sampling

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func TestNumFrames(t *testing.T) {
	tests := []struct {
		name    string
		total   int
		fps     float64
		opts    Options
		want    int
		wantErr error
	}{
		// 300/30*2 = 20, inside [4, 448].
		{"10s at 30fps", 300, 30, Museg(), 20, nil},
		// 1001/30*2 = 66.73 -> floor to even 66.
		{"fractional count floors to even", 1001, 30, Museg(), 66, nil},
		// 1000*1001/30000*2 = 66.73 -> 66.
		{"ntsc rate", 1000, 30000.0 / 1001, Museg(), 66, nil},
		// 105/30*2 = 7 -> floor to even 6.
		{"odd count floors to even", 105, 30, Museg(), 6, nil},
		// 45/30*2 = 3 -> raised to min frames 4.
		{"raised to min frames", 45, 30, Museg(), 4, nil},
		// 7500/25*2 = 600 -> capped at 448.
		{"capped at max frames", 7500, 25, Museg(), 448, nil},
		// 0.2 -> 4 -> clamp to total 3 -> floor even 2.
		{"three frames", 3, 30, Museg(), 2, nil},
		{"two frames", 2, 30, Museg(), 2, nil},
		// 1 -> floor even 0 -> error.
		{"one frame", 1, 30, Museg(), 0, ErrTooFewFrames},
		{"no frames", 0, 30, Museg(), 0, ErrTooFewFrames},
		// zero options are MUSEG's: 7500/25*2 = 600 -> 448.
		{"zero options cap at 448", 7500, 25, Options{}, 448, nil},
		// n = 10 -> clamp to total 5 -> floor even 4.
		{"clamped to total then even", 5, 1, QwenDefaults(), 4, nil},
		// library cap 768; 3600/1*2 = 7200 -> 768.
		{"library cap 768", 3600, 1, QwenDefaults(), 768, nil},
		// max frames 449 floors to 448; min frames 5 ceils to 6; 60/30*2 = 4 -> 6.
		{"odd bounds are made even", 60, 30, Options{MinFrames: 5, MaxFrames: 449}, 6, nil},
		// fps 1: 300/30*1 = 10.
		{"fps option", 300, 30, Options{FPS: 1}, 10, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NumFrames(tc.total, tc.fps, tc.opts)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("NumFrames(%d, %v) error = %v, want %v", tc.total, tc.fps, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("NumFrames(%d, %v) = %d, %v; want %d", tc.total, tc.fps, got, err, tc.want)
			}
		})
	}
}

func TestNumFramesBadInput(t *testing.T) {
	for _, tc := range []struct {
		name  string
		total int
		fps   float64
		opts  Options
	}{
		{"zero fps", 100, 0, Museg()},
		{"nan fps", 100, math.NaN(), Museg()},
		{"inf fps", 100, math.Inf(1), Museg()},
		{"negative total", -4, 30, Museg()},
		{"negative option", 100, 30, Options{MaxFrames: -2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NumFrames(tc.total, tc.fps, tc.opts); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

func TestIndices(t *testing.T) {
	tests := []struct {
		name  string
		total int
		n     int
		want  []int
	}{
		{"exact steps", 10, 4, []int{0, 3, 6, 9}},
		{"ends only", 3, 2, []int{0, 2}},
		// 0, 19.8, 39.6, 59.4, 79.2, 99.
		{"rounding", 100, 6, []int{0, 20, 40, 59, 79, 99}},
		// 0, 2.5, 5: 2.5 rounds to the even 2.
		{"half down to even", 6, 3, []int{0, 2, 5}},
		// 0, 3.5, 7: 3.5 rounds to the even 4.
		{"half up to even", 8, 3, []int{0, 4, 7}},
		// 0, 1.5, 3, 4.5, 6, 7.5, 9.
		{"several halves", 10, 7, []int{0, 2, 3, 4, 6, 8, 9}},
		// 0, .75, 1.5, 2.25, 3: more samples than frames repeat indices.
		{"more samples than frames", 4, 5, []int{0, 1, 2, 2, 3}},
		{"single", 10, 1, []int{0}},
		{"none", 10, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Indices(tc.total, tc.n); !slices.Equal(got, tc.want) {
				t.Fatalf("Indices(%d, %d) = %v, want %v", tc.total, tc.n, got, tc.want)
			}
		})
	}
}

// TestIndicesMatchFloat compares the integer arithmetic with float64 linspace and
// round-half-even over many sizes where float64 is exact enough to decide.
func TestIndicesMatchFloat(t *testing.T) {
	for total := 2; total < 1200; total += 7 {
		for n := 2; n <= min(total, 64); n += 2 {
			got := Indices(total, n)
			for i, g := range got {
				x := float64(i) * float64(total-1) / float64(n-1)
				if want := int(math.RoundToEven(x)); g != want {
					t.Fatalf("Indices(%d, %d)[%d] = %d, want %d (x = %v)", total, n, i, g, want, x)
				}
			}
		}
	}
}

func TestSampleFPS(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		total int
		fps   float64
		want  float64
	}{
		{"two fps", 20, 300, 30, 2},
		{"capped", 448, 7500, 25, 448.0 / 300},
		{"empty", 2, 0, 30, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SampleFPS(tc.n, tc.total, tc.fps); math.Abs(got-tc.want) > 1e-12 {
				t.Fatalf("SampleFPS = %v, want %v", got, tc.want)
			}
		})
	}
}
