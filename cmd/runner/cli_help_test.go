package main

import (
	"slices"
	"strings"
	"testing"
)

func TestCLIGroupLists(t *testing.T) {
	tests := []struct {
		group string
		want  []string
	}{
		{"writing", []string{"writing select", "writing label", "writing advance"}},
		{"video", []string{"video build", "video score"}},
		{"rewards", []string{"rewards museg"}},
	}
	for _, tc := range tests {
		t.Run(tc.group, func(t *testing.T) {
			out, err := runner(t, nil, tc.group)
			if code := exitCode(err); code != 0 {
				t.Errorf("runner %s: exit %d, want 0:\n%s", tc.group, code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("runner %s does not list %q:\n%s", tc.group, w, out)
				}
			}
			for _, c := range subcommands(tc.group) {
				if !strings.Contains(out, c.summary) {
					t.Errorf("runner %s does not give the summary of %q:\n%s", tc.group, c.path, out)
				}
			}
			if strings.Contains(out, "unknown command") {
				t.Errorf("runner %s calls itself unknown:\n%s", tc.group, out)
			}
		})
	}
}

func TestCLIDidYouMean(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    string   // the message's unknown word and suggestion
		notWant []string // what the message must not quote
	}{
		{"command", []string{"writng", "select", "--input", "x.jsonl"}, `unknown command "writng"; did you mean "writing select"?`, []string{"--input", "x.jsonl"}},
		{"subcommand", []string{"writing", "selcet", "--input", "x.jsonl"}, `unknown command "selcet"; did you mean "writing select"?`, []string{"--input", "x.jsonl"}},
		{"flag", []string{"writing", "select", "--input", "x.jsonl", "--outptu", "out"}, `unknown flag "--outptu"; did you mean "--output"?`, []string{"x.jsonl", `"out"`}},
		{"video flag", []string{"video", "build", "--videso", "v"}, `unknown flag "--videso"; did you mean "--videos"?`, nil},
		{"no near command", []string{"video", "frobnicate"}, `unknown command "frobnicate"`, []string{"did you mean"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runner(t, nil, tc.args...)
			if code := exitCode(err); code != 1 {
				t.Errorf("runner %v: exit %d, want 1:\n%s", tc.args, code, out)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("runner %v does not say %q:\n%s", tc.args, tc.want, out)
			}
			for _, nw := range tc.notWant {
				if strings.Contains(out, nw) {
					t.Errorf("runner %v: the message quotes %q:\n%s", tc.args, nw, out)
				}
			}
			if strings.Contains(out, "usage:") || strings.Contains(out, "panic") {
				t.Errorf("runner %v: want one error line, not the usage or a panic:\n%s", tc.args, out)
			}
		})
	}
}

func TestCLIHelpFlags(t *testing.T) {
	tests := []struct {
		cmd      string
		required []string
	}{
		{"video score", []string{"input", "output"}},
		{"video build", []string{"annotations", "format", "videos", "output"}},
		{"writing select", []string{"input", "output"}},
		{"writing label", []string{"input", "samples", "schedule", "output"}},
		{"writing advance", []string{"schedule", "input", "output"}},
	}
	for _, tc := range tests {
		t.Run(tc.cmd, func(t *testing.T) {
			args := append(strings.Fields(tc.cmd), "-h")
			out, err := runner(t, nil, args...)
			if code := exitCode(err); code != 0 {
				t.Errorf("runner %v: exit %d, want 0:\n%s", args, code, out)
			}
			if strings.Contains(out, `(default "")`) {
				t.Errorf("runner %v shows an empty default:\n%s", args, out)
			}
			lines := map[string]string{}
			for _, l := range strings.Split(out, "\n") {
				if name, _, ok := strings.Cut(strings.TrimSpace(l), "\t"); ok && strings.HasPrefix(name, "--") {
					lines[strings.TrimPrefix(name, "--")] = l
				}
			}
			for _, r := range tc.required {
				if !strings.HasSuffix(lines[r], "(required)") {
					t.Errorf("runner %v: --%s is not marked (required): %q\n%s", args, r, lines[r], out)
				}
			}
			for name, l := range lines {
				if strings.HasSuffix(l, "(required)") && !slices.Contains(tc.required, name) {
					t.Errorf("runner %v: --%s is marked (required) but the command runs without it", args, name)
				}
			}
		})
	}
}
