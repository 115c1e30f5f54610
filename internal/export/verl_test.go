package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"image"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestVerlAdapter runs examples/verl/test_rlcurate_verl.py with Debian's python on verl
// rows this package converts from testdata/video.jsonl, with real frame files under a
// frame root: the adapter must hand each row's fps to the processor (stock verl drops
// it), read the absolute frame paths and count the frames' tokens.
func TestVerlAdapter(t *testing.T) {
	const python = "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		t.Skipf("%s not found: the verl adapter test needs Debian's python3 with python3-numpy and python3-pil", python)
	}
	root := t.TempDir()
	data, err := os.ReadFile(filepath.Join("testdata", "video.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		in, err := DecodeVideo(sc.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range in.Frames.Paths {
			writeJPEG(t, filepath.Join(root, p), int(in.Frames.Width), int(in.Frames.Height))
		}
		row, err := FromVideo(sc.Bytes(), Options{FrameRoot: root})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(row)
		out.Write(append(b, '\n'))
	}
	rows := filepath.Join(t.TempDir(), "rows.jsonl")
	if err := os.WriteFile(rows, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, filepath.Join("..", "..", "examples", "verl", "test_rlcurate_verl.py"), "-v")
	cmd.Env = append(os.Environ(), "RLCURATE_VERL_ROWS="+rows, "PYTHONDONTWRITEBYTECODE=1")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
}

func writeJPEG(t *testing.T, path string, w, h int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, image.NewRGBA(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
}
