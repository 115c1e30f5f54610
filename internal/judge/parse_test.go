package judge

import (
	"errors"
	"strings"
	"testing"
)

func TestParsePointwise(t *testing.T) {
	tests := []struct {
		name       string
		reply      string
		wantScore  int
		wantReason string
		wantErr    bool
	}{
		{name: "bare object", reply: `{"score": 8, "reason": "vivid"}`, wantScore: 8, wantReason: "vivid"},
		{name: "json fence", reply: "```json\n{\n  \"score\": 3,\n  \"reason\": \"thin\"\n}\n```", wantScore: 3, wantReason: "thin"},
		{name: "surrounded by text", reply: "Here is my evaluation:\n{\"reason\": \"ok\", \"score\": 10}\nThanks.", wantScore: 10, wantReason: "ok"},
		{name: "integral float", reply: `{"score": 7.0, "reason": "r"}`, wantScore: 7, wantReason: "r"},
		{name: "lowest", reply: `{"score": 1}`, wantScore: 1, wantReason: ""},
		{name: "last object wins", reply: `Example: {"score": 2, "reason": "x"} Final: {"score": 9, "reason": "y"}`, wantScore: 9, wantReason: "y"},
		{name: "braces inside reason", reply: `{"score": 6, "reason": "uses {curly} braces"}`, wantScore: 6, wantReason: "uses {curly} braces"},
		{name: "object without score ignored", reply: `{"note": 1} {"score": 4, "reason": "z"}`, wantScore: 4, wantReason: "z"},
		{name: "non-string reason kept verbatim", reply: `{"score": 5, "reason": ["a","b"]}`, wantScore: 5, wantReason: `["a","b"]`},
		{name: "chinese reason", reply: "```json\n{\"score\": 8, \"reason\": \"结构清晰\"}\n```", wantScore: 8, wantReason: "结构清晰"},
		{name: "fractional score", reply: `{"score": 7.5, "reason": "r"}`, wantErr: true},
		{name: "string score", reply: `{"score": "7", "reason": "r"}`, wantErr: true},
		{name: "zero", reply: `{"score": 0, "reason": "r"}`, wantErr: true},
		{name: "eleven", reply: `{"score": 11, "reason": "r"}`, wantErr: true},
		{name: "negative", reply: `{"score": -3}`, wantErr: true},
		{name: "null score", reply: `{"score": null}`, wantErr: true},
		{name: "missing score", reply: `{"reason": "no score"}`, wantErr: true},
		{name: "no json", reply: "I would give it an 8 out of 10.", wantErr: true},
		{name: "template echoed", reply: `{"score": <an integer between 1 and 10>}`, wantErr: true},
		{name: "empty", reply: "", wantErr: true},
		{name: "score nested in a valid object is its value", reply: `{"a": {"score": 3}}`, wantErr: true},
		{name: "invalid object gives way to the one inside", reply: `{ my answer: {"score": 7, "reason": "r"} }`, wantScore: 7, wantReason: "r"},
		{name: "object where an error stopped the scan", reply: `{"x": 1 {"score": 2}}`, wantScore: 2},
		{name: "brace in a string of an invalid object", reply: `{"a": "text { more", x} {"score": 1}`, wantScore: 1},
		// Shapes that made the former scan quadratic (seconds at 80 KB).
		{name: "80 KB of unclosed objects, then one", reply: strings.Repeat(`{"a":`, 16000) + `{"score": 4}`, wantScore: 4},
		{name: "80 KB of unclosed objects", reply: strings.Repeat(`{"a":`, 16000), wantErr: true},
		{name: "deep valid nesting", reply: `{"score": 5, "a": ` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`, wantScore: 5},
		{name: "nesting past encoding/json's limit", reply: `{"score": 5, "a": ` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			score, reason, err := ParsePointwise(tc.reply)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("ParsePointwise(%q) = %d, nil; want error", tc.reply, score)
				}
				if !errors.Is(err, ErrBadReply) {
					t.Errorf("error %v is not ErrBadReply", err)
				}
				var re *ReplyError
				if !errors.As(err, &re) || !strings.HasPrefix(tc.reply, re.Reply) || re.Reply == "" && tc.reply != "" {
					t.Errorf("ReplyError does not carry the reply (or its first 2,000 bytes): %.80q", re.Reply)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePointwise(%q): %v", tc.reply, err)
			}
			if score != tc.wantScore || reason != tc.wantReason {
				t.Errorf("got (%d, %q), want (%d, %q)", score, reason, tc.wantScore, tc.wantReason)
			}
		})
	}
}
