package main

import (
	"fmt"
	"io"

	"github.com/rlcurate/rlcurate/internal/launch"
	"github.com/rlcurate/rlcurate/internal/media"
)

func init() { launch.FFmpegVersion = media.FFmpegVersion }

// versionNames are the lines of `runner version`, in order: the launch.Versions key and
// its label.
var versionNames = []struct{ key, label string }{
	{"rlcurate", "rlcurate"},
	{"go", "Go"},
	{"beam", "Beam SDK"},
	{"go-astiav", "go-astiav"},
	{"ffmpeg", "FFmpeg"},
}

// isVersion reports whether args ask for the version (`runner version`, `runner --version`).
func isVersion(args []string) bool {
	return len(args) == 1 && (args[0] == "version" || args[0] == "--version" || args[0] == "-version")
}

// printVersion writes `runner version`: one name and version a line.
func printVersion(w io.Writer) {
	v := launch.Versions()
	for _, n := range versionNames {
		fmt.Fprintf(w, "%-10s %s\n", n.label, v[n.key])
	}
}
