package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree writes files (path -> content) under a new temporary root.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, body := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// body returns a function whose body has n lines.
func body(name string, n int) string {
	return "func " + name + "() {\n" + strings.Repeat("\t_ = 1\n", n) + "}\n"
}

func TestLongFunctions(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"at the limit", map[string]string{"a/a.go": "package a\n" + body("f", 3)}, nil},
		{"one over", map[string]string{"a/a.go": "package a\n" + body("f", 4)}, []string{"a/a.go:2 f 4 lines (over 3)"}},
		{"tests are exempt", map[string]string{"a/a_test.go": "package a\n" + body("f", 9)}, nil},
		{"testdata is skipped", map[string]string{"a/testdata/x.go": "package x\n" + body("f", 9)}, nil},
		{"methods count", map[string]string{"a/a.go": "package a\ntype T int\nfunc (T) m() {\n_ = 1\n_ = 2\n_ = 3\n_ = 4\n}\n"}, []string{"a/a.go:3 m 4 lines (over 3)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LongFunctions(writeTree(t, tc.files), 3)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLongFunctionsRejectsUnparsableFile(t *testing.T) {
	root := writeTree(t, map[string]string{"a/a.go": "package a\nfunc {"})
	if _, err := LongFunctions(root, 80); err == nil {
		t.Fatal("a file that does not parse passed the check")
	}
}

func TestUndocumented(t *testing.T) {
	code := "package p\n"
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"all named", "`internal/judge` and `internal/judge/judgetest` and `rewards`", nil},
		{"a prefix does not count", "`internal/judge/judgetest` and rewards.", []string{"doc.md: package internal/judge is not described"}},
		{"none named", "nothing", []string{"doc.md: package internal/judge is not described", "doc.md: package internal/judge/judgetest is not described", "doc.md: package rewards is not described"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := writeTree(t, map[string]string{
				"internal/judge/j.go": code, "internal/judge/judgetest/s.go": code,
				"rewards/r.go": code, "rewards/only_test.go": code, "doc.md": tc.doc,
			})
			got, err := Undocumented(root, "doc.md")
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
