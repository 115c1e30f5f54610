// Command housecheck enforces two rules of rlcurate's house that tools do not:
// no function outside tests is longer than -max lines, and every package of the module
// is named in docs/architecture.md. It prints each finding and exits 1 if there is one.
//
//	go run ./cmd/housecheck [-max 80] [-doc docs/architecture.md] [ROOT]
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	maxLines := flag.Int("max", 80, "longest allowed function body, in lines")
	doc := flag.String("doc", "docs/architecture.md", "architecture page, relative to ROOT, that must name every package")
	flag.Parse()
	root := "."
	if flag.NArg() > 0 {
		root = flag.Arg(0)
	}
	findings, err := check(root, *doc, *maxLines)
	if err != nil {
		fmt.Fprintln(os.Stderr, "housecheck:", err)
		os.Exit(2)
	}
	for _, f := range findings {
		fmt.Println(f)
	}
	if len(findings) > 0 {
		fmt.Fprintf(os.Stderr, "housecheck: %d finding(s)\n", len(findings))
		os.Exit(1)
	}
}

// check runs both rules over the module at root.
func check(root, doc string, maxLines int) ([]string, error) {
	long, err := LongFunctions(root, maxLines)
	if err != nil {
		return nil, err
	}
	missing, err := Undocumented(root, doc)
	if err != nil {
		return nil, err
	}
	return append(long, missing...), nil
}
