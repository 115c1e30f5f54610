// Package mediatest generates small test videos with the ffmpeg command-line tool, for the
// tests of package media and of the pipelines built on it. Every generator writes into
// t.TempDir() and returns a Video that records the parameters it was made with, so tests
// can compute their expectations from those parameters rather than from the code under test.
//
// Tests are skipped (not failed) when /usr/bin/ffmpeg (or ffmpeg on PATH) is missing.
// It uses no cgo.
package mediatest
