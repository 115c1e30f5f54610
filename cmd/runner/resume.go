package main

import (
	"flag"
	"fmt"
	"strings"
)

// resumeHint is what an interrupted job prints: the command that resumes it, and what
// the rerun will not do again (cached judge replies and completions, reused frames).
func resumeHint(args []string) string {
	var b strings.Builder
	b.WriteString("interrupted: nothing was published by this run; what an earlier run published is untouched.\n")
	fmt.Fprintf(&b, "to resume, run the same command again:\n  %s\n", shellJoin(args))
	for _, name := range []string{"judge-cache", "cache"} {
		if f := flag.CommandLine.Lookup(name); f != nil && f.Value.String() != "" {
			fmt.Fprintf(&b, "replies already cached in %s are not asked again.\n", f.Value.String())
		}
	}
	return b.String()
}

// shellJoin quotes args for a POSIX shell, leaving plain words as they are.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:,@%+") == "" {
			out[i] = a
		} else {
			out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}
