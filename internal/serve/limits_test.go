package serve

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// musegBody is a small valid /get_reward body of one MUSEG completion.
func musegBody() []byte {
	b, _ := json.Marshal(Request{Query: []string{"<think>x</think><answer>1.00-2.00</answer>"}, Labels: []string{label([][2]float64{{1, 2}}, 1, "compat")}})
	return b
}

// slowClient opens a raw connection to the server at base (http://host:port), sends the
// headers of a POST /get_reward declaring length bytes (chunked when length < 0) and
// then trickles the body one byte every 100 ms, until the test ends. It returns the
// connection, to read what the server answers.
func slowClient(t *testing.T, base string, length int) net.Conn {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); c.Close() })
	head := "POST /get_reward HTTP/1.1\r\nHost: " + u.Host + "\r\nContent-Type: application/json\r\n"
	if length >= 0 {
		head += fmt.Sprintf("Content-Length: %d\r\n", length)
	} else {
		head += "Transfer-Encoding: chunked\r\n"
	}
	if _, err := io.WriteString(c, head+"\r\n"); err != nil {
		t.Fatal(err)
	}
	go func() {
		for i := 0; length < 0 || i < length-1; i++ {
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
			b := []byte("[")
			if length < 0 {
				b = []byte("1\r\n[\r\n")
			}
			if _, err := c.Write(b); err != nil {
				return
			}
		}
	}()
	return c
}

// answer reads the HTTP response on c within d.
func answer(t *testing.T, c net.Conn, d time.Duration) *http.Response {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(d))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer within %v: %v", d, err)
	}
	resp.Body.Close()
	return resp
}

// TestSlowClientsHoldNoSlot connects 16 clients that send their headers and then
// trickle their bodies (twice the 8 concurrency slots): a normal request is still
// answered within 3 s, because a body is read before its request takes a slot.
func TestSlowClientsHoldNoSlot(t *testing.T) {
	_, ts := newServer(t, Config{MaxInFlight: 8})
	for i := 0; i < 16; i++ {
		slowClient(t, ts.URL, 1000)
	}
	time.Sleep(300 * time.Millisecond) // let the server take them all in
	client := &http.Client{Timeout: 3 * time.Second}
	start := time.Now()
	resp, err := client.Post(ts.URL+"/get_reward", "application/json", bytes.NewReader(musegBody()))
	if err != nil {
		t.Fatalf("normal request with 16 slow clients connected: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("normal request: %d, want 200", resp.StatusCode)
	}
	t.Logf("answered in %v with 16 slow clients connected", time.Since(start))
}

// TestBodyReadTimeout: a body that does not arrive within ReadTimeout is answered 408.
func TestBodyReadTimeout(t *testing.T) {
	for _, length := range []int{1000, -1} {
		_, ts := newServer(t, Config{ReadTimeout: 300 * time.Millisecond})
		c := slowClient(t, ts.URL, length)
		start := time.Now()
		if resp := answer(t, c, 3*time.Second); resp.StatusCode != http.StatusRequestTimeout {
			t.Errorf("length %d: %d after %v, want 408", length, resp.StatusCode, time.Since(start))
		}
	}
}

// TestDeclaredTooLargeRefusedUnread: a request declaring 300 MB (over the default
// 64 MiB cap) is answered 413 at once, without sending its body.
func TestDeclaredTooLargeRefusedUnread(t *testing.T) {
	_, ts := newServer(t, Config{})
	c := slowClient(t, ts.URL, 300<<20)
	resp := answer(t, c, 3*time.Second)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("declared 300 MiB: %d, want 413", resp.StatusCode)
	}
}

// repeat is an endless reader of one byte.
type repeat byte

func (r repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// TestChunkedBodyCutAtCap: a chunked body (no declared length) is cut off at the
// default 64 MiB cap with 413.
func TestChunkedBodyCutAtCap(t *testing.T) {
	_, ts := newServer(t, Config{})
	body := io.MultiReader(strings.NewReader(`{"query":["`), io.LimitReader(repeat('x'), 80<<20), strings.NewReader(`"]}`))
	req, _ := http.NewRequest("POST", ts.URL+"/get_reward", body)
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked 80 MiB: %d, want 413", resp.StatusCode)
	}
}

// TestBodyBytesInFlight: while one slow body holds the whole budget of body bytes in
// flight, another request waits BodyWait, then gets 503 with Retry-After; once the
// slow body is gone, it is answered.
func TestBodyBytesInFlight(t *testing.T) {
	body := musegBody()
	_, ts := newServer(t, Config{MaxBodyBytes: 1000, MaxBodyBytesInFlight: 1000, BodyWait: 200 * time.Millisecond})
	slow := slowClient(t, ts.URL, 1000)
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	resp, err := http.Post(ts.URL+"/get_reward", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("over the in-flight budget: %d (Retry-After %q), want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if d := time.Since(start); d < 150*time.Millisecond || d > 2*time.Second {
		t.Errorf("503 after %v, want after about BodyWait (200ms)", d)
	}
	slow.Close()
	time.Sleep(200 * time.Millisecond)
	if status, _, bad := post(t, ts.URL, body); status != http.StatusOK {
		t.Errorf("after the slow body left: %d %+v, want 200", status, bad)
	}
}

// TestAuthToken: with a token, every endpoint but /healthz answers 401 without it, and
// accepts it as a bearer header or as ?token=.
func TestAuthToken(t *testing.T) {
	const token = "s3cret-token"
	_, ts := newServer(t, Config{AuthToken: token})
	do := func(method, path, auth string) (int, string) {
		t.Helper()
		var body io.Reader
		if method == "POST" {
			body = bytes.NewReader(musegBody())
		}
		req, _ := http.NewRequest(method, ts.URL+path, body)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	tests := []struct {
		method, path, auth string
		want               int
	}{
		{"POST", "/get_reward", "", 401},
		{"POST", "/get_reward", "Bearer wrong", 401},
		{"POST", "/get_reward", "Bearer " + token + "x", 401},
		{"POST", "/get_reward", token, 401}, // not a bearer header
		{"POST", "/get_reward?token=wrong", "", 401},
		{"POST", "/get_reward", "Bearer " + token, 200},
		{"POST", "/get_reward?token=" + token, "", 200},
		{"POST", "/get_reward?token=wrong", "Bearer " + token, 200},
		{"GET", "/metrics", "", 401},
		{"GET", "/metrics", "Bearer " + token, 200},
		{"GET", "/metrics?token=" + token, "", 200},
		{"GET", "/healthz", "", 200},
		{"GET", "/nothing", "", 401},
	}
	for _, tc := range tests {
		status, body := do(tc.method, tc.path, tc.auth)
		if status != tc.want {
			t.Errorf("%s %s (Authorization %q): %d, want %d", tc.method, tc.path, tc.auth, status, tc.want)
		}
		if strings.Contains(body, token) {
			t.Errorf("%s %s: the answer shows the token: %s", tc.method, tc.path, body)
		}
	}
	_, metrics := do("GET", "/metrics", "Bearer "+token)
	if !strings.Contains(metrics, `rlcurate_reward_errors_total{kind="unauthorized"} 7`) {
		t.Errorf("metrics do not count 7 unauthorized requests:\n%s", metrics)
	}
}
