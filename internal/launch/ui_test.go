package launch

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"
)

func TestServeUI(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	defer func() { *jobopts.Endpoint, *jobopts.EnvironmentType = "", "" }()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	if err := ServeUI(ctx, port, &log); err != nil {
		t.Fatal(err)
	}
	if *jobopts.Endpoint == "" {
		t.Errorf("ServeUI did not point jobs at its job service")
	}
	url := "http://localhost:" + strings.TrimPrefix(strings.Fields(log.String())[2], "http://localhost:")
	var resp *http.Response
	for i := 0; i < 50; i++ {
		if resp, err = http.Get(url); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(strings.ToLower(string(body)), "<html") {
		t.Errorf("GET %s = %d, %.200q; want prism's UI page", url, resp.StatusCode, body)
	}
	if err := ServeUI(ctx, port, &log); err == nil {
		t.Errorf("a second ServeUI with an endpoint already set = nil, want an error")
	}
}
