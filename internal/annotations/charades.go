package annotations

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// ParseCharadesLine parses one Charades-STA line,
// `<video_id> <start> <end>##<sentence>`, into a tvg Sample whose video is
// the id plus opts.CharadesExt, with the question generated from the
// sentence. The duration is unknown (nil). A blank line gives a *Filtered;
// a missing "##", a wrong number of fields, non-numeric or non-finite times
// or an empty sentence give a *ParseError. Start/end order is not checked
// here (Validate does). A trailing "\r" and a leading UTF-8 BOM are ignored.
func ParseCharadesLine(line string, loc Location, opts Options) (Sample, error) {
	line = strings.TrimPrefix(line, "\ufeff")
	line = strings.TrimRight(line, "\r\n")
	if strings.TrimSpace(line) == "" {
		return Sample{}, &Filtered{Reason: FilterBlankLine, Loc: loc}
	}
	head, sentence, ok := strings.Cut(line, "##")
	if !ok {
		return Sample{}, malformed(FormatCharades, loc, nil, "missing \"##\" between times and sentence")
	}
	fields := strings.Fields(head)
	if len(fields) != 3 {
		return Sample{}, malformed(FormatCharades, loc, nil, "want `<video_id> <start> <end>` before \"##\", got %d fields", len(fields))
	}
	start, err := parseSeconds(fields[1])
	if err != nil {
		return Sample{}, malformed(FormatCharades, loc, err, "start time %q", fields[1])
	}
	end, err := parseSeconds(fields[2])
	if err != nil {
		return Sample{}, malformed(FormatCharades, loc, err, "end time %q", fields[2])
	}
	query := CleanQuery(sentence)
	if query == "" {
		return Sample{}, malformed(FormatCharades, loc, nil, "empty sentence")
	}
	raw, err := json.Marshal(line)
	if err != nil {
		return Sample{}, malformed(FormatCharades, loc, err, "encode raw line")
	}
	s := Sample{
		Key:      contentKey(FormatCharades, []byte(line)),
		Video:    opts.videoPath(fields[0] + opts.charadesExt()),
		Task:     TaskTVG,
		Query:    query,
		Solution: [][2]float64{{start, end}},
		Format:   FormatCharades,
		Origin:   loc.String(),
		Raw:      raw,
	}
	s.Question, err = Question(s.Task, s.Query, s.Key, opts.Seed)
	if err != nil {
		return Sample{}, malformed(FormatCharades, loc, err, "question")
	}
	return s, nil
}

// parseSeconds parses a finite decimal number of seconds.
func parseSeconds(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errNonFinite
	}
	return v, nil
}
