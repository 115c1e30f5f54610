package sampling

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestNewPlan(t *testing.T) {
	// 10 s of 1280x720 at 30 fps: 20 frames, linspace(0, 299, 20) = i*299/19.
	p, err := NewPlan(300, 30, 1280, 720, Museg())
	if err != nil {
		t.Fatal(err)
	}
	want := []int{0, 16, 31, 47, 63, 79, 94, 110, 126, 142, 157, 173, 189, 205, 220, 236, 252, 268, 283, 299}
	if !slices.Equal(p.Indices, want) {
		t.Errorf("indices = %v, want %v", p.Indices, want)
	}
	if p.SampleFPS != 2 || p.Width != 700 || p.Height != 392 {
		t.Errorf("plan = %+v, want 2 fps at 700x392", p)
	}
}

func TestNewPlanErrors(t *testing.T) {
	if _, err := NewPlan(1, 30, 640, 480, Museg()); !errors.Is(err, ErrTooFewFrames) {
		t.Errorf("one frame: error = %v, want ErrTooFewFrames", err)
	}
	if _, err := NewPlan(100, 30, 0, 480, Museg()); !errors.Is(err, ErrBadSize) {
		t.Errorf("zero width: error = %v, want ErrBadSize", err)
	}
}

func ExampleNewPlan() {
	// A 3-minute 720p video at 30 fps, sampled as MUSEG trains: 360 frames at 2 fps,
	// max pixels 2809856/360*2 = 15610, so 140x84.
	p, err := NewPlan(5400, 30, 1280, 720, Museg())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(p.Indices), p.Indices[:3], p.SampleFPS, p.Width, p.Height)
	// Output: 360 [0 15 30] 2 140 84
}
