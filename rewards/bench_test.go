package rewards

import "testing"

// benchInputs are realistic phase-1 completions (reasoning that cites its
// timestamps, one to three segments), as MUSEG's rollouts look.
var benchInputs = []MusegInput{
	{ID: "tvg", Solution: [][2]float64{{13.9, 25.3}}, Completion: "<think>The query asks when the person puts a book on the shelf. " +
		"At 2.0 the person enters the room holding a book. Around 13.9 they walk toward the shelf and lift the book; " +
		"between 18.0 and 22.0 the book is placed on the middle shelf. By 25.3 the person steps back and turns away, " +
		"so the action ends there. Later frames after 30.0 show them sitting down, which is not part of the action.</think>" +
		"<answer>13.90-25.30</answer>"},
	{ID: "tal", Solution: [][2]float64{{0.03, 7.07}, {17.27, 27.32}, {40.5, 52.1}}, Completion: "<think>I need every instance of 'throwing darts'. " +
		"The first throw starts almost immediately at 0.03 and the player retrieves the darts by 7.07. " +
		"There is a pause with people talking from 7.5 to 16.0. The player throws again starting at 17.27, " +
		"with the last dart landing near 27.32. After a close-up of the board, a third round runs from 40.5 to 52.1.</think>\n" +
		"<answer>0.03-7.07 17.27-27.32 40.50-52.10</answer>"},
	{ID: "partial", Solution: [][2]float64{{30.2, 41.8}, {60, 75.5}}, Completion: "<think>The dog jumps over the fence twice. " +
		"The first jump begins at 31.0 and the dog lands at 40.0. The second jump is between 62.0 and 74.0, " +
		"with a slow-motion replay I will not count.</think><answer>31.00-40.00 62.00-74.00</answer>"},
}

func BenchmarkMuseg(b *testing.B) {
	plan, err := PlanFor(1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	sink := 0.0
	for i := 0; b.Loop(); i++ {
		s, err := Museg(benchInputs[i%len(benchInputs)], plan, Compat)
		if err != nil {
			b.Fatal(err)
		}
		sink += s.Total
	}
	_ = sink
}

func BenchmarkMusegStrict(b *testing.B) {
	plan, _ := PlanFor(1)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := Museg(benchInputs[i%len(benchInputs)], plan, Strict); err != nil {
			b.Fatal(err)
		}
	}
}
