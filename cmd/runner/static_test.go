package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestStaticFFmpeg checks that the runner links FFmpeg statically, so that one binary runs
// on any Debian-like machine and as a Dataflow worker on Beam's stock container: ldd may
// list the C library, libm and the loader, but no libav* or libsw* library.
func TestStaticFFmpeg(t *testing.T) {
	ldd, err := exec.LookPath("ldd")
	if err != nil {
		t.Skip("ldd not found")
	}
	out, err := exec.Command(ldd, runnerBin).CombinedOutput()
	if err != nil {
		t.Fatalf("ldd %s: %v\n%s", runnerBin, err, out)
	}
	if m := regexp.MustCompile(`lib(av|sw)[a-z]*\.so`).FindAllString(string(out), -1); len(m) > 0 {
		t.Errorf("runner links FFmpeg dynamically: %v\n%s", m, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		lib := strings.Fields(line)[0]
		if !regexp.MustCompile(`^(linux-vdso|/lib64/ld-linux|libc\.so|libm\.so|libpthread|libdl|libresolv)`).MatchString(lib) {
			t.Errorf("unexpected shared library %q: the stock Go SDK container may not have it\n%s", lib, out)
		}
	}
}
