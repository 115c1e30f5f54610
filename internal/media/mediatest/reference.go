package mediatest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// resizeScript is qwen-vl-utils' resize of decoded frames, in torchvision. Its arguments
// come in groups of six, one per job: a file of raw RGB24 frames of W x H, the file to
// write, W, H, w, h. Each job's frames are resized to [h, w] by
// torchvision.transforms.functional.resize with BICUBIC and antialias=True on the uint8
// TCHW tensor, as fetch_video does, and written as raw RGB24.
const resizeScript = `
import sys
import numpy as np
import torch
from torchvision.transforms import InterpolationMode
from torchvision.transforms import functional as F

args = sys.argv[1:]
for i in range(0, len(args), 6):
    src, dst, W, H, w, h = args[i], args[i + 1], *map(int, args[i + 2:i + 6])
    frames = np.fromfile(src, dtype=np.uint8)
    video = torch.from_numpy(frames.reshape(-1, H, W, 3)).permute(0, 3, 1, 2)
    video = F.resize(video, [h, w], interpolation=InterpolationMode.BICUBIC, antialias=True)
    video.permute(0, 2, 3, 1).contiguous().numpy().tofile(dst)
`

// Python returns Debian's python3 when it can import torch, torchvision, numpy and PIL,
// and skips the test otherwise (apt-get install python3-torchvision python3-numpy
// python3-pil, as scripts/setup.sh does).
func Python(t testing.TB) string {
	t.Helper()
	const py = "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import numpy, torch, torchvision, PIL").Run(); err != nil {
		t.Skipf("%s cannot import numpy, torch, torchvision and PIL (%v): apt-get install python3-torchvision python3-numpy python3-pil", py, err)
	}
	return py
}

// Reference is the independent reference for some frames of a video: what a trainer
// sees through Debian's ffmpeg and torchvision. DecodeRGB fills the decoding part,
// TorchResize the resized Frames.
type Reference struct {
	// Raw is the file of decoded RGB24 frames, SrcW x SrcH each (display orientation).
	Raw        string
	SrcW, SrcH int
	// W and H are the size to resize to; Frames the resized frames, W*H*3 bytes each.
	W, H   int
	Frames [][]byte
}

// DecodeRGB decodes the frames at the given presentation-order indices (ascending, no
// repeats) of the video at path with Debian's ffmpeg to RGB24, display rotation applied,
// its scale filter's in_color_matrix set to matrix ("auto" honours the stream's tag,
// "bt601" and "bt709" force one; the range comes from the stream). srcW x srcH is the
// display size; the frames are to be resized to w x h by TorchResize.
func DecodeRGB(t testing.TB, path string, indices []int, srcW, srcH, w, h int, matrix string) *Reference {
	t.Helper()
	sel := make([]string, len(indices))
	for i, k := range indices {
		sel[i] = fmt.Sprintf(`eq(n\,%d)`, k)
	}
	raw := filepath.Join(t.TempDir(), "decoded.rgb")
	FFmpeg(t, "-i", path, "-an", "-vf", fmt.Sprintf("select='%s',scale=in_color_matrix=%s,format=rgb24", strings.Join(sel, "+"), matrix),
		"-fps_mode", "passthrough", "-f", "rawvideo", raw)
	if fi, err := os.Stat(raw); err != nil || fi.Size() != int64(srcW*srcH*3*len(indices)) {
		t.Fatalf("ffmpeg decoded %v bytes of %s, want %d frames of %dx%d (%v)", fi.Size(), path, len(indices), srcW, srcH, err)
	}
	return &Reference{Raw: raw, SrcW: srcW, SrcH: srcH, W: w, H: h}
}

// TorchResize resizes the decoded frames of every reference with torchvision, as
// qwen-vl-utils does (one python run for all: importing torch takes seconds).
func TorchResize(t testing.TB, refs ...*Reference) {
	t.Helper()
	args := []string{"-c", resizeScript}
	for i, r := range refs {
		args = append(args, r.Raw, fmt.Sprintf("%s.%d.resized", r.Raw, i), fmt.Sprint(r.SrcW), fmt.Sprint(r.SrcH), fmt.Sprint(r.W), fmt.Sprint(r.H))
	}
	run(t, Python(t), args...)
	for i, r := range refs {
		b, err := os.ReadFile(fmt.Sprintf("%s.%d.resized", r.Raw, i))
		if err != nil {
			t.Fatal(err)
		}
		size := r.W * r.H * 3
		if len(b)%size != 0 {
			t.Fatalf("reference %s: %d bytes is not a whole number of %dx%d frames", r.Raw, len(b), r.W, r.H)
		}
		r.Frames = nil
		for off := 0; off < len(b); off += size {
			r.Frames = append(r.Frames, b[off:off+size])
		}
	}
}
