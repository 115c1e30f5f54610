package annotations

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// etElement is one element of E.T. Instruct 164K's JSON list. Fields this
// package does not use (src, …) are ignored.
type etElement struct {
	Task          *string      `json:"task"`
	Source        string       `json:"source"`
	Video         *string      `json:"video"`
	Duration      *float64     `json:"duration"`
	Tgt           []float64    `json:"tgt"`
	Conversations []etTurnJSON `json:"conversations"`
}

type etTurnJSON struct {
	From  string `json:"from"`
	Value string `json:"value"`
}

// FixQueryFallback is the fix recorded when no quoted query was found in the
// E.T. Instruct human turn and the whole turn text became the query.
const FixQueryFallback = "query_fallback"

// ParseETElement parses one element of E.T. Instruct 164K (one JSON object)
// into a Sample. Only tasks tvg and tal are grounding: any other task gives a
// *Filtered with reason FilterNonGroundingTask. tgt [s0, e0, s1, e1, …]
// becomes the solution pairs in data order; an odd-length tgt, a missing
// task or video, wrong JSON types or a non-finite duration give a
// *ParseError; an empty tgt gives a sample without segments (Validate
// rejects it, so it is counted).
//
// The query is taken from the first human turn: <image>/<video> placeholders
// are removed and the span inside single quotes is used (see ExtractQuery);
// when nothing is quoted, the whole remaining turn text is the query and the
// fix "query_fallback: …" is recorded. A missing human turn is a *ParseError.
// The question is then generated from our own templates.
func ParseETElement(raw []byte, loc Location, opts Options) (Sample, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return Sample{}, malformed(FormatETInstruct, loc, nil, "element is not a JSON object")
	}
	var el etElement
	if err := json.Unmarshal(raw, &el); err != nil {
		return Sample{}, malformed(FormatETInstruct, loc, err, "decode element")
	}
	if el.Task == nil {
		return Sample{}, malformed(FormatETInstruct, loc, nil, "missing \"task\"")
	}
	task := Task(*el.Task)
	if !task.Valid() {
		return Sample{}, &Filtered{Reason: FilterNonGroundingTask, Detail: fmt.Sprintf("task %q", *el.Task), Loc: loc}
	}
	if el.Video == nil || strings.TrimSpace(*el.Video) == "" {
		return Sample{}, malformed(FormatETInstruct, loc, nil, "missing \"video\"")
	}
	if el.Duration != nil && (math.IsNaN(*el.Duration) || math.IsInf(*el.Duration, 0)) {
		return Sample{}, malformed(FormatETInstruct, loc, nil, "duration is not finite")
	}
	if len(el.Tgt)%2 != 0 {
		return Sample{}, malformed(FormatETInstruct, loc, nil, "\"tgt\" has %d numbers, want start/end pairs", len(el.Tgt))
	}
	human, ok := firstHumanTurn(el.Conversations)
	if !ok {
		return Sample{}, malformed(FormatETInstruct, loc, nil, "no human turn in \"conversations\"")
	}
	query, quoted := ExtractQuery(human)
	if query == "" {
		return Sample{}, malformed(FormatETInstruct, loc, nil, "empty query in human turn")
	}
	solution := make([][2]float64, 0, len(el.Tgt)/2)
	for i := 0; i+1 < len(el.Tgt); i += 2 {
		solution = append(solution, [2]float64{el.Tgt[i], el.Tgt[i+1]})
	}
	s := Sample{
		Key:      contentKey(FormatETInstruct, raw),
		Video:    opts.videoPath(*el.Video),
		Task:     task,
		Query:    query,
		Solution: solution,
		Format:   FormatETInstruct,
		Source:   el.Source,
		Origin:   loc.String(),
		Raw:      append(json.RawMessage(nil), raw...),
	}
	if el.Duration != nil {
		s.Duration = durationPtr(*el.Duration)
	}
	if !quoted {
		s.Fixes = append(s.Fixes, FixQueryFallback+": no quoted query in the human turn; used its whole text")
	}
	var err error
	s.Question, err = Question(s.Task, s.Query, s.Key, opts.Seed)
	if err != nil {
		return Sample{}, malformed(FormatETInstruct, loc, err, "question")
	}
	return s, nil
}

func firstHumanTurn(turns []etTurnJSON) (string, bool) {
	for _, t := range turns {
		if t.From == "human" {
			return t.Value, true
		}
	}
	return "", false
}
