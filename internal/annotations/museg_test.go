package annotations

import (
	"testing"
)

func TestParseMusegLine(t *testing.T) {
	tests := []struct {
		name       string
		line       string
		wantTask   Task
		wantQuery  string
		wantSol    [][2]float64
		wantDur    float64 // -1: unknown
		wantFixes  int
		wantErr    bool
		wantFilter bool
	}{
		{name: "spec example",
			line:     `{"idx": 0, "problem": "Find all the sections of the video where the action 'throwing darts' occurs, ...", "solution": [[0.03, 7.07], [17.27, 27.32]], "video": "videos/et_instruct_164k/hacs/F54PZypvzCc.mp4", "duration": 80.0, "task": "tal"}`,
			wantTask: TaskTAL, wantQuery: "throwing darts", wantSol: [][2]float64{{0.03, 7.07}, {17.27, 27.32}}, wantDur: 80},
		{name: "charades row without duration",
			line:     `{"idx": 1, "problem": "When is 'a person opens a door.' seen", "solution": [[0, 6.9]], "video": "a.mp4", "task": "tvg"}`,
			wantTask: TaskTVG, wantQuery: "a person opens a door", wantSol: [][2]float64{{0, 6.9}}, wantDur: -1},
		{name: "null duration", line: `{"problem": "'q'", "solution": [[1, 2]], "video": "a.mp4", "duration": null, "task": "tvg"}`,
			wantTask: TaskTVG, wantQuery: "q", wantSol: [][2]float64{{1, 2}}, wantDur: -1},
		{name: "unquoted problem falls back", line: `{"problem": "find dancing", "solution": [[1, 2]], "video": "a.mp4", "task": "tal"}`,
			wantTask: TaskTAL, wantQuery: "find dancing", wantSol: [][2]float64{{1, 2}}, wantDur: -1, wantFixes: 1},
		{name: "crlf", line: "{\"problem\": \"'q'\", \"solution\": [[1, 2]], \"video\": \"a.mp4\", \"task\": \"tvg\"}\r\n",
			wantTask: TaskTVG, wantQuery: "q", wantSol: [][2]float64{{1, 2}}, wantDur: -1},
		{name: "blank", line: " \n", wantFilter: true},
		{name: "not json", line: `idx=0`, wantErr: true},
		{name: "json list", line: `[1, 2]`, wantErr: true},
		{name: "truncated", line: `{"idx": 0, "problem": "x"`, wantErr: true},
		{name: "solution flat list", line: `{"problem": "'q'", "solution": [1, 2], "video": "a.mp4", "task": "tvg"}`, wantErr: true},
		{name: "segment of three", line: `{"problem": "'q'", "solution": [[1, 2, 3]], "video": "a.mp4", "task": "tvg"}`, wantErr: true},
		{name: "segment of one", line: `{"problem": "'q'", "solution": [[1]], "video": "a.mp4", "task": "tvg"}`, wantErr: true},
		{name: "times as strings", line: `{"problem": "'q'", "solution": [["1", "2"]], "video": "a.mp4", "task": "tvg"}`, wantErr: true},
		{name: "duration as string", line: `{"problem": "'q'", "solution": [[1, 2]], "video": "a.mp4", "duration": "8", "task": "tvg"}`, wantErr: true},
		{name: "idx as string", line: `{"idx": "0", "problem": "'q'", "solution": [[1, 2]], "video": "a.mp4", "task": "tvg"}`, wantErr: true},
		{name: "unknown task", line: `{"problem": "'q'", "solution": [[1, 2]], "video": "a.mp4", "task": "slc"}`, wantErr: true},
		{name: "missing task", line: `{"problem": "'q'", "solution": [[1, 2]], "video": "a.mp4"}`, wantErr: true},
		{name: "missing video", line: `{"problem": "'q'", "solution": [[1, 2]], "task": "tvg"}`, wantErr: true},
		{name: "empty problem", line: `{"problem": " ", "solution": [[1, 2]], "video": "a.mp4", "task": "tvg"}`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseMusegLine(tc.line, LineAt("m.jsonl", 2), Options{})
			w := wantParse{malformed: tc.wantErr, task: tc.wantTask, query: tc.wantQuery, format: FormatMuseg,
				solution: tc.wantSol, duration: tc.wantDur, fixes: tc.wantFixes}
			if tc.wantFilter {
				w.filter = FilterBlankLine
			}
			if !checkParse(t, s, err, w) {
				return
			}
			if s.Question == "" || s.Origin != "m.jsonl:2" {
				t.Errorf("question %q origin %q", s.Question, s.Origin)
			}
		})
	}
}
