package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Undocumented lists every package folder under root (a folder holding a non-test .go
// file) whose path, relative to root and with forward slashes, does not appear in the
// page doc as a whole word (so "internal/judge" is not satisfied by
// "internal/judge/judgetest"). A missing page is an error.
func Undocumented(root, doc string) ([]string, error) {
	text, err := os.ReadFile(filepath.Join(root, doc))
	if err != nil {
		return nil, err
	}
	pkgs, err := packageDirs(root)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range pkgs {
		word := regexp.MustCompile(`(^|[^\w/.-])` + regexp.QuoteMeta(p) + `($|[^\w/-])`)
		if !word.Match(text) {
			out = append(out, fmt.Sprintf("%s: package %s is not described", doc, p))
		}
	}
	return out, nil
}

// packageDirs returns the sorted relative folders under root that hold Go code
// (test-only folders too: a helper package for tests is a package).
func packageDirs(root string) ([]string, error) {
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			rel, _ := filepath.Rel(root, filepath.Dir(p))
			seen[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, err
}
