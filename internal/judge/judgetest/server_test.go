package judgetest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

func post(t *testing.T, s *Server, content string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"model":    "m",
		"messages": []map[string]string{{"role": "user", "content": content}},
	})
	resp, err := http.Post(s.URL()+"/chat/completions", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, string(b)
	}
	var out struct {
		Choices []struct {
			Message struct{ Content string } `json:"message"`
		} `json:"choices"`
	}
	if err := json.Unmarshal(b, &out); err != nil || len(out.Choices) != 1 {
		t.Fatalf("bad completion %s: %v", b, err)
	}
	return resp.StatusCode, out.Choices[0].Message.Content
}

func TestPrecedence(t *testing.T) {
	s := New()
	defer s.Close()
	s.Handle(func(Request) Reply { return Reply{Content: "handler"} })
	s.When("special", Reply{Content: "rule"})
	s.Enqueue(Reply{Content: "queued"}, Reply{Status: 503, RetryAfter: "2"})
	tests := []struct {
		name       string
		content    string
		wantStatus int
		want       string
	}{
		{name: "queue first", content: "special", wantStatus: 200, want: "queued"},
		{name: "queued error", content: "special", wantStatus: 503},
		{name: "rule next", content: "a special request", wantStatus: 200, want: "rule"},
		{name: "handler last", content: "plain", wantStatus: 200, want: "handler"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, got := post(t, s, tc.content)
			if status != tc.wantStatus || (tc.want != "" && got != tc.want) {
				t.Errorf("got %d %q, want %d %q", status, got, tc.wantStatus, tc.want)
			}
		})
	}
	if s.Requests() != len(tests) || len(s.Received()) != len(tests) {
		t.Errorf("counted %d requests, recorded %d, want %d", s.Requests(), len(s.Received()), len(tests))
	}
}
