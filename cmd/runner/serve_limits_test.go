package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/serve"
)

// musegRequest is a /get_reward body of one MUSEG completion.
func musegRequest() []byte {
	b, _ := json.Marshal(serve.Request{Query: []string{"<think>x</think><answer>1.00-2.00</answer>"},
		Labels: []string{`{"branch":"museg","solution":[[1,2]],"phase":1,"mode":"compat"}`}})
	return b
}

// status sends method path (with the Authorization header auth, if any) to base and
// returns the answer's status.
func status(t *testing.T, method, base, path, auth string) int {
	t.Helper()
	var body io.Reader
	if method == "POST" {
		body = bytes.NewReader(musegRequest())
	}
	req, _ := http.NewRequest(method, base+path, body)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestServeAuthToken: with RLCURATE_SERVE_TOKEN (or --auth-token-file), /get_reward and
// /metrics answer 401 without the token and 200 with it as a bearer header or
// ?token=; /healthz stays open; the token is never logged.
func TestServeAuthToken(t *testing.T) {
	const token = "tok-7f3a9c"
	file := filepath.Join(t.TempDir(), "token")
	os.WriteFile(file, []byte(token+"\n"), 0o600)
	for name, start := range map[string]func(t *testing.T) (string, *bytes.Buffer){
		"env": func(t *testing.T) (string, *bytes.Buffer) {
			u, _, log := startServeEnv(t, []string{serveTokenEnv + "=" + token})
			return u, log
		},
		"file": func(t *testing.T) (string, *bytes.Buffer) {
			u, _, log := startServe(t, "--auth-token-file", file)
			return u, log
		},
	} {
		t.Run(name, func(t *testing.T) {
			base, log := start(t)
			for _, tc := range []struct {
				method, path, auth string
				want               int
			}{
				{"POST", "/get_reward", "", 401},
				{"POST", "/get_reward", "Bearer nope", 401},
				{"POST", "/get_reward?token=nope", "", 401},
				{"POST", "/get_reward", "Bearer " + token, 200},
				{"POST", "/get_reward?token=" + token, "", 200},
				{"GET", "/metrics", "", 401},
				{"GET", "/metrics", "Bearer " + token, 200},
				{"GET", "/healthz", "", 200},
			} {
				if got := status(t, tc.method, base, tc.path, tc.auth); got != tc.want {
					t.Errorf("%s %s (Authorization %q): %d, want %d", tc.method, tc.path, tc.auth, got, tc.want)
				}
			}
			if strings.Contains(log.String(), token) {
				t.Errorf("the log shows the token:\n%s", log)
			}
		})
	}
	// Without a token, the same endpoint is open on loopback.
	base, _, _ := startServe(t)
	if got := status(t, "POST", base, "/get_reward", ""); got != 200 {
		t.Errorf("without a token: %d, want 200", got)
	}
}

// TestServeRefusesOpenListen: without a token, serve refuses a non-loopback address
// (exit non-zero, naming the flags), unless --insecure-no-auth or with a token.
func TestServeRefusesOpenListen(t *testing.T) {
	for _, listen := range []string{"0.0.0.0:0", ":0"} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		out, err := exec.CommandContext(ctx, runnerBin, "serve", "--listen", listen).CombinedOutput()
		timedOut := ctx.Err() != nil
		cancel()
		if timedOut || err == nil {
			t.Errorf("serve --listen %s without a token: %v, want a refusal at startup:\n%s", listen, err, out)
			continue
		}
		for _, want := range []string{"--insecure-no-auth", serveTokenEnv, "--auth-token-file"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("serve --listen %s: the refusal does not name %s:\n%s", listen, want, out)
			}
		}
	}
	base, _, _ := startServe(t, "--listen", "0.0.0.0:0", "--insecure-no-auth")
	if got := status(t, "GET", base, "/healthz", ""); got != 200 {
		t.Errorf("--insecure-no-auth: healthz %d", got)
	}
	base, _, _ = startServeEnv(t, []string{serveTokenEnv + "=x"}, "--listen", "0.0.0.0:0")
	if got := status(t, "GET", base, "/metrics", ""); got != 401 {
		t.Errorf("with a token on 0.0.0.0: metrics without it %d, want 401", got)
	}
}

// trickle opens a raw connection to base, sends the headers of a POST /get_reward
// declaring a 1000-byte body and then one byte of it every 100 ms, until the test ends.
func trickle(t *testing.T, base string) {
	t.Helper()
	u, _ := url.Parse(base)
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); c.Close() })
	fmt.Fprintf(c, "POST /get_reward HTTP/1.1\r\nHost: %s\r\nContent-Length: 1000\r\n\r\n{", u.Host)
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
			if _, err := c.Write([]byte(" ")); err != nil {
				return
			}
		}
	}()
}

// TestServeDrainBounded: SIGTERM with a request still in flight (a body that never
// completes) stops serve cleanly once --drain is over; the default drain is 30 s.
func TestServeDrainBounded(t *testing.T) {
	out, _ := runner(t, nil, "serve", "--help")
	if !regexp.MustCompile(`--drain\t[^\n]*\(default "?30s"?\)`).MatchString(out) {
		t.Errorf("serve --help does not show a 30 s --drain default:\n%s", out)
	}
	base, cmd, log := startServe(t, "--drain", "2s")
	trickle(t, base)
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		d := time.Since(start)
		if err != nil {
			t.Errorf("serve after SIGTERM and a bounded drain: %v, want a clean exit\n%s", err, log)
		}
		if d < 2*time.Second || d > 6*time.Second {
			t.Errorf("stopped %v after SIGTERM, want just after --drain 2s", d)
		}
		t.Logf("stopped %v after SIGTERM with --drain 2s and one request in flight", d)
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not stop within 20 s of SIGTERM with --drain 2s:\n%s", log)
	}
}

// vmHWM returns the peak resident set size of process pid, in bytes.
func vmHWM(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skip("no /proc:", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 3 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatalf("no VmHWM in /proc/%d/status", pid)
	return 0
}

// TestServeLargeBodiesPeakRSS (integration) sends twelve ~60 MB requests at once to a
// `runner serve` with its default limits: each is answered 200, or 503 with
// Retry-After, and the server's peak RSS stays under 1 GiB.
func TestServeLargeBodiesPeakRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("integration: twelve 60 MB requests")
	}
	// 60 MUSEG completions behind 500 kB prompts, as OpenRLHF sends long prompts:
	// query = prompt + completion, so the body is about 60 MB.
	prompt := strings.Repeat("a frame of the video ", 500_000/21)
	var req serve.Request
	for i := 0; i < 60; i++ {
		req.Prompts = append(req.Prompts, prompt)
		req.Query = append(req.Query, prompt+"<think>x</think><answer>1.00-2.00</answer><|im_end|>")
		req.Labels = append(req.Labels, `{"branch":"museg","solution":[[1,2]],"phase":1,"mode":"compat"}`)
	}
	body, _ := json.Marshal(req)
	req = serve.Request{}
	base, cmd, log := startServe(t)
	before := vmHWM(t, cmd.Process.Pid)
	client := &http.Client{Timeout: 50 * time.Second}
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Post(base+"/get_reward", "application/json", bytes.NewReader(body))
			if err != nil {
				t.Errorf("request: %v", err)
				return
			}
			var out serve.Response
			derr := json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			switch {
			case resp.StatusCode == 200 && (derr != nil || len(out.Rewards) != 60):
				t.Errorf("200 with %d rewards (%v), want 60", len(out.Rewards), derr)
			case resp.StatusCode == 503 && resp.Header.Get("Retry-After") == "":
				t.Errorf("503 without Retry-After")
			case resp.StatusCode != 200 && resp.StatusCode != 503:
				t.Errorf("status %d, want 200 or 503", resp.StatusCode)
			}
			mu.Lock()
			codes[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	peak := vmHWM(t, cmd.Process.Pid)
	t.Logf("12 requests of %.1f MB in %v: answers %v; server peak RSS %.0f MiB (%.0f MiB before)",
		float64(len(body))/1e6, time.Since(start).Round(time.Millisecond), codes, float64(peak)/(1<<20), float64(before)/(1<<20))
	if codes[200] == 0 {
		t.Errorf("no request answered 200: %v", codes)
	}
	if peak >= 1<<30 {
		t.Errorf("peak RSS %d MiB, want under 1 GiB\n%s", peak>>20, log)
	}
}
