package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
)

// LongFunctions lists, as "file:line name N lines", every function or method outside
// _test.go files under root whose body has more than maxLines lines (the lines between
// its braces). Hidden folders, testdata, bin and out are skipped. A file that does not
// parse is an error: the check must not pass by skipping it.
func LongFunctions(root string, maxLines int) ([]string, error) {
	fset := token.NewFileSet()
	var out []string
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
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			n := fset.Position(fn.Body.End()).Line - fset.Position(fn.Body.Pos()).Line - 1
			if n > maxLines {
				out = append(out, fmt.Sprintf("%s:%d %s %d lines (over %d)", rel, fset.Position(fn.Pos()).Line, fn.Name.Name, n, maxLines))
			}
		}
		return nil
	})
	return out, err
}

func skipDir(name string) bool {
	return name == "testdata" || name == "bin" || name == "out" || strings.HasPrefix(name, ".")
}
