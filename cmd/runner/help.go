package main

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/rlcurate/rlcurate/internal/launch"
)

// groups returns the first words of the commands with two or more words ("video",
// "writing", ...), sorted.
func groups() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range commands {
		if w := strings.Fields(c.path); len(w) > 1 && !seen[w[0]] {
			seen[w[0]] = true
			out = append(out, w[0])
		}
	}
	sort.Strings(out)
	return out
}

// isGroup reports whether word is the first word of a multi-word command.
func isGroup(word string) bool {
	for _, g := range groups() {
		if g == word {
			return true
		}
	}
	return false
}

// subcommands returns the commands of group, sorted by path.
func subcommands(group string) []command {
	var out []command
	for _, c := range commands {
		if strings.HasPrefix(c.path, group+" ") {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// groupUsage lists the subcommands of group with their summaries.
func groupUsage(w io.Writer, group string) {
	fmt.Fprintf(w, "usage: runner %s COMMAND [flags]\n\ncommands:\n", group)
	for _, c := range subcommands(group) {
		fmt.Fprintf(w, "  %-22s %s\n", c.path, c.summary)
	}
	fmt.Fprintf(w, "\nrun `runner %s COMMAND -h` for a command's flags.\n", group)
}

// unknownCommand is the usage error for args that name no command: it quotes only the
// word that is not a command and suggests the nearest one.
func unknownCommand(args []string) error {
	word, candidates, prefix := args[0], topWords(), ""
	if isGroup(args[0]) && len(args) > 1 {
		word, prefix = args[1], args[0]+" "
		candidates = nil
		for _, c := range subcommands(args[0]) {
			candidates = append(candidates, strings.TrimPrefix(c.path, prefix))
		}
	}
	msg := fmt.Sprintf("unknown command %q", word)
	if s := nearest(word, candidates); s != "" {
		full := prefix + s
		// "runner writng select": suggest the whole command when the next word fits.
		if prefix == "" && isGroup(s) && len(args) > 1 {
			for _, c := range subcommands(s) {
				if c.path == s+" "+args[1] {
					full = c.path
				}
			}
		}
		msg += fmt.Sprintf("; did you mean %q?", full)
	} else {
		msg += "; run `runner help` for the commands"
	}
	return launch.WithCode(launch.ExitUsage, fmt.Errorf("%s", msg))
}

// topWords are the words that may start a command line.
func topWords() []string {
	seen := map[string]bool{"help": true, "version": true, "rerun": true}
	for _, c := range commands {
		seen[strings.Fields(c.path)[0]] = true
	}
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// unknownFlag turns flag's "flag provided but not defined: -name" into a usage error
// that quotes only the flag and suggests the nearest of the command's flags (then
// Beam's). Other parse errors are returned as they are.
func unknownFlag(fs *flag.FlagSet, path string, err error) error {
	const notDefined = "flag provided but not defined: -"
	if !strings.HasPrefix(err.Error(), notDefined) {
		return launch.WithCode(launch.ExitUsage, fmt.Errorf("%s: %w; run `runner %s -h` for its flags", path, err, path))
	}
	name := strings.TrimPrefix(err.Error(), notDefined)
	var own, all []string
	fs.VisitAll(func(f *flag.Flag) {
		if ownFlags[f.Name] {
			own = append(own, f.Name)
		}
		all = append(all, f.Name)
	})
	msg := fmt.Sprintf("%s: unknown flag %q", path, "--"+name)
	s := nearest(name, own)
	if s == "" {
		s = nearest(name, all)
	}
	if s != "" {
		msg += fmt.Sprintf("; did you mean %q?", "--"+s)
	} else {
		msg += fmt.Sprintf("; run `runner %s -h` for its flags", path)
	}
	return launch.WithCode(launch.ExitUsage, fmt.Errorf("%s", msg))
}

// maxSuggestDistance is the largest edit distance at which a word is suggested.
const maxSuggestDistance = 2

// nearest returns the candidate closest to word by edit distance, if it is within
// maxSuggestDistance and nearer than the word's own length; ties go to the first.
func nearest(word string, candidates []string) string {
	best, bestD := "", maxSuggestDistance+1
	for _, c := range candidates {
		if d := levenshtein(word, c); d < bestD && d < len([]rune(word)) {
			best, bestD = c, d
		}
	}
	return best
}

// levenshtein is the edit distance (insertions, deletions, substitutions) of a and b.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// isString reports whether f holds a string, whose default is shown quoted.
func isString(f *flag.Flag) bool {
	g, ok := unwrap(f.Value).(flag.Getter)
	if !ok {
		return true
	}
	_, str := g.Get().(string)
	return str
}
