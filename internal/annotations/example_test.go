package annotations_test

import (
	"errors"
	"fmt"

	"github.com/rlcurate/rlcurate/internal/annotations"
)

func ExampleValidate() {
	s, err := annotations.ParseCharadesLine("demo_a 7.1 12.4##the person sits down on a chair.",
		annotations.LineAt("charades.txt", 3), annotations.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := annotations.Validate(s, 12.0, annotations.DefaultValidateOptions())
	var rej *annotations.Rejection
	if errors.As(err, &rej) {
		fmt.Println("rejected by", rej.Rule)
		return
	}
	fmt.Println(v.Video, v.Query, v.Solution, v.Fixes)
	// Output: demo_a.mp4 the person sits down on a chair [[7.1 12]] [end_beyond_duration: segment 0 end 12.4 s clipped to the video end 12 s]
}
