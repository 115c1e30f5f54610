package sampling

import (
	"errors"
	"testing"
)

func TestFrameMaxPixels(t *testing.T) {
	tests := []struct {
		name string
		n    int
		opts Options
		want float64
	}{
		// min(602112, 2809856/20*2 = 280985.6).
		{"museg 20 frames", 20, Museg(), 280985.6},
		// 2809856/448*2 = 12544 < int(12544*1.05) = 13171.
		{"museg 448 frames", 448, Museg(), 13171},
		// 2809856/2*2 above 768*28*28.
		{"museg 2 frames", 2, Museg(), 602112},
		// library defaults: max(min(602112, 90316800/4*2), int(100352*1.05) = 105369).
		{"library defaults", 4, QwenDefaults(), 602112},
		// library defaults, 768 frames: 90316800/768*2 = 235200.
		{"library defaults 768 frames", 768, QwenDefaults(), 235200},
		// zero options are MUSEG's: 2809856/448*2 = 12544 < 13171.
		{"zero options", 448, Options{}, 13171},
		{"max pixels option lowers", 20, Options{FPS: 2, MinPixels: 12544, TotalPixels: 2809856, MaxPixels: 200000}, 200000},
		{"max pixels option cannot raise", 448, Options{FPS: 2, MinPixels: 12544, TotalPixels: 2809856, MaxPixels: 900000}, 13171},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FrameMaxPixels(tc.n, tc.opts)
			if err != nil || got != tc.want {
				t.Fatalf("FrameMaxPixels(%d) = %v, %v; want %v", tc.n, got, err, tc.want)
			}
		})
	}
}

func TestSmartResize(t *testing.T) {
	tests := []struct {
		name                 string
		h, w                 int
		minPixels, maxPixels float64
		wantH, wantW         int
	}{
		// 720x1280 rounds to 728x1288 = 937664 > 280985.6; beta = sqrt(921600/280985.6) = 1.8110;
		// 720/beta = 397.6 -> 392, 1280/beta = 706.8 -> 700.
		{"720p at 20 frames", 720, 1280, 12544, 280985.6, 392, 700},
		// beta = sqrt(921600/13171) = 8.365; 86.07 -> 84, 153.0 -> 140.
		{"720p at 448 frames", 720, 1280, 12544, 13171, 84, 140},
		{"1080p at 448 frames", 1080, 1920, 12544, 13171, 84, 140},
		// portrait 1920x1080: beta = sqrt(2073600/602112) = 1.8558; 1034.6 -> 1008, 582.0 -> 560.
		{"portrait 1080p", 1920, 1080, 12544, 602112, 1008, 560},
		// 241 -> round(8.61) = 9 -> 252; 321 -> round(11.46) = 11 -> 308; 77616 in range.
		{"odd size in range", 241, 321, 12544, 280985.6, 252, 308},
		// 60x100 -> 56x112 = 6272 < 12544; beta = sqrt(12544/6000) = 1.4459;
		// 86.75 -> ceil 4*28 = 112, 144.6 -> ceil 6*28 = 168.
		{"small scaled up", 60, 100, 12544, 280985.6, 112, 168},
		// 70/28 = 2.5 -> 2 (even); 98/28 = 3.5 -> 4 (even).
		{"half to even", 70, 98, 0, 1e9, 56, 112},
		// 42/28 = 1.5 -> 2; 126/28 = 4.5 -> 4.
		{"half to even other way", 42, 126, 0, 1e9, 56, 112},
		// 10/28 rounds to 0, raised to 28.
		{"at least 28", 10, 10, 0, 1e9, 28, 28},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, w, err := SmartResize(tc.h, tc.w, tc.minPixels, tc.maxPixels)
			if err != nil || h != tc.wantH || w != tc.wantW {
				t.Fatalf("SmartResize(%d, %d) = %d, %d, %v; want %d, %d", tc.h, tc.w, h, w, err, tc.wantH, tc.wantW)
			}
		})
	}
}

func TestSmartResizeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		h, w int
	}{
		{"zero height", 0, 100},
		{"negative width", 100, -1},
		{"too thin", 1, 201},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := SmartResize(tc.h, tc.w, 12544, 280985.6); !errors.Is(err, ErrBadSize) {
				t.Fatalf("error = %v, want ErrBadSize", err)
			}
		})
	}
}
