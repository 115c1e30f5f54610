package curriculum

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
)

// Source is one --source of a mix: rows read from Paths, weighted by Weight.
type Source struct {
	Name   string   // mix_source of its rows and its manifest counts' suffix
	Paths  []string // paths, globs, folders or gs:// URLs (PATHS split on ",")
	Weight string   // as given, e.g. "0.7"; ParseWeight reads it exactly
}

// sourceName is what a source may be called: it names manifest count keys.
var sourceName = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// ParseSource reads NAME=PATHS:WEIGHT. PATHS is one or more paths joined by ","; the
// weight follows the last ":" (so gs:// paths keep theirs). NAME is letters, digits,
// "_", "." and "-".
func ParseSource(s string) (Source, error) {
	name, rest, ok := strings.Cut(s, "=")
	i := strings.LastIndex(rest, ":")
	if !ok || i < 0 {
		return Source{}, fmt.Errorf("source %q: want NAME=PATHS:WEIGHT", s)
	}
	src := Source{Name: name, Weight: rest[i+1:]}
	if !sourceName.MatchString(name) {
		return Source{}, fmt.Errorf("source %q: name %q: want letters, digits, _, . or -", s, name)
	}
	if _, err := ParseWeight(src.Weight); err != nil {
		return Source{}, fmt.Errorf("source %q: %w", s, err)
	}
	for _, p := range strings.Split(rest[:i], ",") {
		if p = strings.TrimSpace(p); p != "" {
			src.Paths = append(src.Paths, p)
		}
	}
	if len(src.Paths) == 0 {
		return Source{}, fmt.Errorf("source %q: no paths", s)
	}
	return src, nil
}

// SourceQuotas checks that the sources' names are distinct and returns their quotas of
// total (Quotas, in the sources' order).
func SourceQuotas(sources []Source, total int64) ([]int64, error) {
	seen := map[string]bool{}
	weights := make([]*big.Rat, len(sources))
	for i, src := range sources {
		if seen[src.Name] {
			return nil, fmt.Errorf("source %q is named twice", src.Name)
		}
		seen[src.Name] = true
		w, err := ParseWeight(src.Weight)
		if err != nil {
			return nil, fmt.Errorf("source %q: %w", src.Name, err)
		}
		weights[i] = w
	}
	return Quotas(weights, total)
}
