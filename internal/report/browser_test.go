package report

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// screenshotEnv, when "1", makes TestBrowser write the screenshots to
// ../../docs/report-<type>.png.
const screenshotEnv = "RLCURATE_UPDATE_SCREENSHOTS"

// chromium finds the Chromium binary or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium not found on PATH: install it with `apt-get install -y chromium` to run the browser test")
	return ""
}

// runChromium runs headless Chromium on url in a window 1280 px wide and height px high
// with extra flags and returns its stdout.
func runChromium(t *testing.T, bin, url string, height int, extra ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--no-first-run", "--user-data-dir=" + t.TempDir(), fmt.Sprintf("--window-size=1280,%d", height)}
	args = append(args, extra...)
	args = append(args, url)
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\nstderr: %s", extra, err, stderr.String())
	}
	return stdout.Bytes()
}

// browserSections are sections that must be in a report as Chromium renders it.
var browserSections = map[string][]string{
	"video-build":     {"Validation", "Samples", "Decoding", "Videos", "Example samples"},
	"writing-advance": {"Levels before and after"},
}

// screenHeight is the screenshot's height for a report: 2000 px unless listed in
// screenHeights (the video build's example timelines, its last section, need more; the
// writing advance's one section less).
func screenHeight(name string) int {
	if h, ok := screenHeights[name]; ok {
		return h
	}
	return 2000
}

var screenHeights = map[string]int{"video-build": 2800, "writing-advance": 900}

// TestBrowser renders every job report, opens it in headless Chromium as a
// person would, checks in the rendered DOM that every chart drew its marks,
// and checks that the screenshot is not blank.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin := chromium(t)
	dir := t.TempDir()
	reports := sampleReports()
	names := make([]string, 0, len(reports))
	for n := range reports {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			page := filepath.Join(dir, name, "report.html")
			if err := os.MkdirAll(filepath.Dir(page), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(page, render(t, reports[name]), 0o644); err != nil {
				t.Fatal(err)
			}
			url := "file://" + page

			height := screenHeight(name)
			dom := runChromium(t, bin, url, height, "--dump-dom")
			info := parsePage(t, dom)
			checkCharts(t, name, info.Charts)
			for _, w := range browserSections[name] {
				if !contains(info.Sections, w) {
					t.Errorf("rendered sections %q lack %q", info.Sections, w)
				}
			}
			if len(info.Accounting) != 1 || info.Accounting[0] != "ok" {
				t.Errorf("rendered accounting = %v, want [ok]", info.Accounting)
			}

			shot := filepath.Join(dir, name+".png")
			runChromium(t, bin, url, height, "--screenshot="+shot)
			img := decodePNG(t, shot)
			if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != height {
				t.Errorf("screenshot is %dx%d, want 1280x%d", b.Dx(), b.Dy(), height)
			}
			if n := colours(img, 50); n < 10 {
				t.Errorf("screenshot has only %d distinct colours: blank page?", n)
			}
			if os.Getenv(screenshotEnv) == "1" {
				data, err := os.ReadFile(shot)
				if err != nil {
					t.Fatal(err)
				}
				out := filepath.Join("..", "..", "docs", "report-"+name+".png")
				if err := os.WriteFile(out, data, 0o644); err != nil {
					t.Fatalf("update screenshot: %v", err)
				}
				t.Logf("wrote %s", out)
			}
		})
	}
}

// decodePNG reads and decodes a PNG file.
func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode screenshot %s: %v", path, err)
	}
	return img
}

// colours counts distinct colours in img, stopping at limit.
func colours(img image.Image, limit int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}
