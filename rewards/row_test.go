package rewards

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestScorePassesSampleID: a row's sample_id and group reach its score and the score's
// JSON (as rewards museg writes it); a row without them gives a score without the keys.
func TestScorePassesSampleID(t *testing.T) {
	const body = `"completion": "<think>13.9 25.3</think><answer>13.90-25.30</answer>", "solution": [[13.9, 25.3]]`
	tests := []struct {
		name                  string
		row                   string
		wantSample, wantGroup string
		wantKeys, wantAbsent  []string
	}{
		{name: "both", row: `{"id": "r0", "sample_id": "s1", "group": "v.mp4|q", ` + body + `}`,
			wantSample: "s1", wantGroup: "v.mp4|q", wantKeys: []string{`"sample_id":"s1"`, `"group":"v.mp4|q"`}},
		{name: "numeric sample id", row: `{"id": "r0", "sample_id": 7, ` + body + `}`,
			wantSample: "7", wantKeys: []string{`"sample_id":"7"`}, wantAbsent: []string{`"group"`}},
		{name: "absent stays absent", row: `{"id": "r0", ` + body + `}`,
			wantAbsent: []string{`"sample_id"`, `"group"`}},
		{name: "not a string or number", row: `{"id": "r0", "sample_id": {"x": 1}, ` + body + `}`,
			wantAbsent: []string{`"sample_id"`}},
	}
	plan, _ := PlanFor(1)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if _, err := ScoreStream(strings.NewReader(tc.row+"\n"), &out, plan, Compat); err != nil {
				t.Fatal(err)
			}
			var sc MusegScore
			if err := json.Unmarshal(out.Bytes(), &sc); err != nil {
				t.Fatalf("%v: %s", err, out.String())
			}
			if sc.SampleID != tc.wantSample || sc.Group != tc.wantGroup || sc.Total < 2.99 {
				t.Errorf("score = %+v, want sample_id %q group %q total about 3", sc, tc.wantSample, tc.wantGroup)
			}
			for _, k := range tc.wantKeys {
				if !strings.Contains(out.String(), k) {
					t.Errorf("output %s lacks %s", out.String(), k)
				}
			}
			for _, k := range tc.wantAbsent {
				if strings.Contains(out.String(), k) {
					t.Errorf("output %s has %s", out.String(), k)
				}
			}
		})
	}
}
