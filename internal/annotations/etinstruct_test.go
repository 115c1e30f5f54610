package annotations

import (
	"encoding/json"
	"testing"
)

func TestParseETElement(t *testing.T) {
	tests := []struct {
		name       string
		raw        string
		wantTask   Task
		wantQuery  string
		wantSol    [][2]float64
		wantDur    float64 // -1: unknown
		wantFixes  int
		wantErr    bool
		wantFilter bool
	}{
		{name: "tvg with quoted query",
			raw:      `{"task":"tvg","source":"didemo","video":"didemo/a.mp4","duration":30.5,"tgt":[1,2.5],"conversations":[{"from":"human","value":"<image>\nLocalize the query 'a girl jumps.' in the video."},{"from":"gpt","value":"1 - 2.5"}]}`,
			wantTask: TaskTVG, wantQuery: "a girl jumps", wantSol: [][2]float64{{1, 2.5}}, wantDur: 30.5},
		{name: "tal with pairs in data order",
			raw:      `{"task":"tal","source":"hacs","video":"v.mp4","duration":80,"tgt":[17.27,27.32,0.03,7.07],"conversations":[{"from":"human","value":"<image>\nFind all 'throwing darts' actions."}]}`,
			wantTask: TaskTAL, wantQuery: "throwing darts", wantSol: [][2]float64{{17.27, 27.32}, {0.03, 7.07}}, wantDur: 80},
		{name: "possessive inside query",
			raw:      `{"task":"tvg","video":"v.mp4","tgt":[1,2],"conversations":[{"from":"human","value":"the query 'the man's hat falls' in the video's timeline"}]}`,
			wantTask: TaskTVG, wantQuery: "the man's hat falls", wantSol: [][2]float64{{1, 2}}, wantDur: -1},
		{name: "fallback to raw text",
			raw:      `{"task":"tal","video":"v.mp4","duration":5,"tgt":[1,2],"conversations":[{"from":"gpt","value":"x"},{"from":"human","value":"<video>\n playing guitar. "}]}`,
			wantTask: TaskTAL, wantQuery: "playing guitar", wantSol: [][2]float64{{1, 2}}, wantDur: 5, wantFixes: 1},
		{name: "empty tgt is kept for validation",
			raw:      `{"task":"tvg","video":"v.mp4","tgt":[],"conversations":[{"from":"human","value":"'q'"}]}`,
			wantTask: TaskTVG, wantQuery: "q", wantSol: [][2]float64{}, wantDur: -1},
		{name: "non-grounding task filtered", raw: `{"task":"slc","video":"v.mp4","tgt":[1,2]}`, wantFilter: true},
		{name: "odd tgt", raw: `{"task":"tvg","video":"v.mp4","tgt":[1,2,3],"conversations":[{"from":"human","value":"'q'"}]}`, wantErr: true},
		{name: "tgt of strings", raw: `{"task":"tvg","video":"v.mp4","tgt":["1","2"],"conversations":[{"from":"human","value":"'q'"}]}`, wantErr: true},
		{name: "duration as string", raw: `{"task":"tvg","video":"v.mp4","duration":"30","tgt":[1,2],"conversations":[{"from":"human","value":"'q'"}]}`, wantErr: true},
		{name: "task as number", raw: `{"task":3,"video":"v.mp4","tgt":[1,2]}`, wantErr: true},
		{name: "missing task", raw: `{"video":"v.mp4","tgt":[1,2]}`, wantErr: true},
		{name: "missing video", raw: `{"task":"tal","tgt":[1,2],"conversations":[{"from":"human","value":"'q'"}]}`, wantErr: true},
		{name: "no human turn", raw: `{"task":"tal","video":"v.mp4","tgt":[1,2],"conversations":[]}`, wantErr: true},
		{name: "conversations not a list", raw: `{"task":"tal","video":"v.mp4","tgt":[1,2],"conversations":{}}`, wantErr: true},
		{name: "element is a number", raw: `42`, wantErr: true},
		{name: "element is a list", raw: `[1,2]`, wantErr: true},
		{name: "empty element", raw: ``, wantErr: true},
		{name: "truncated object", raw: `{"task":"tvg"`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseETElement([]byte(tc.raw), ElementAt("et.json", 4), Options{Seed: 7})
			w := wantParse{malformed: tc.wantErr, task: tc.wantTask, query: tc.wantQuery, format: FormatETInstruct,
				solution: tc.wantSol, duration: tc.wantDur, fixes: tc.wantFixes}
			if tc.wantFilter {
				w.filter = FilterNonGroundingTask
			}
			if !checkParse(t, s, err, w) {
				return
			}
			if tc.wantFixes > 0 && FixRule(s.Fixes[0]) != FixQueryFallback {
				t.Errorf("fix %q is not %s", s.Fixes[0], FixQueryFallback)
			}
			if s.Origin != "et.json[4]" {
				t.Errorf("origin = %q", s.Origin)
			}
			var back map[string]any
			if err := json.Unmarshal(s.Raw, &back); err != nil || back["video"] != "v.mp4" && back["video"] != "didemo/a.mp4" {
				t.Errorf("raw %s does not hold the element (%v)", s.Raw, err)
			}
		})
	}
}
