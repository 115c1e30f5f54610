package grounding_test

import (
	"errors"
	"fmt"

	"github.com/rlcurate/rlcurate/grounding"
)

func ExampleValidate() {
	s, err := grounding.ParseCharadesLine("demo_a 7.1 12.4##the person sits down on a chair.",
		grounding.LineAt("charades.txt", 3), grounding.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := grounding.Validate(s, 12.0, grounding.DefaultValidateOptions())
	var rej *grounding.Rejection
	if errors.As(err, &rej) {
		fmt.Println("rejected by", rej.Rule)
		return
	}
	fmt.Println(v.Video, v.Query, v.Solution, v.Fixes)
	// Output: demo_a.mp4 the person sits down on a chair [[7.1 12]] [end_beyond_duration: segment 0 end 12.4 s clipped to the video end 12 s]
}
