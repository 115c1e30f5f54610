package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/rlcurate/rlcurate/internal/launch"
)

// invocation is the command and the flag values given for the job that runs in this
// process (on the command line and in --config), each flag's values in the order given;
// runPipeline records it in the manifest's config so that `runner rerun` can repeat the
// run.
var invocation = map[string]any{}

// given holds every value passed to a flag's Set, by flag name (see recordFlags).
var given = map[string][]string{}

// recorder passes Set on to a flag's value and remembers what was set.
type recorder struct {
	flag.Value
	name string
}

func (r recorder) Set(v string) error {
	if err := r.Value.Set(v); err != nil {
		return err
	}
	given[r.name] = append(given[r.name], v)
	return nil
}

// boolRecorder is a recorder of a boolean flag, which may be given without a value.
type boolRecorder struct{ recorder }

func (boolRecorder) IsBoolFlag() bool { return true }

// recordFlags makes every flag of fs remember the values it is given.
func recordFlags(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		r := recorder{Value: f.Value, name: f.Name}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			f.Value = boolRecorder{r}
		} else {
			f.Value = r
		}
	})
}

// unwrap returns the value a recorder passes Set on to.
func unwrap(v flag.Value) flag.Value {
	switch r := v.(type) {
	case recorder:
		return r.Value
	case boolRecorder:
		return r.Value
	}
	return v
}

// recordInvocation remembers the command at path and the flag values given.
func recordInvocation(path string) {
	set := map[string]any{}
	for name, vals := range given {
		if name != "config" {
			set[name] = vals
		}
	}
	invocation = map[string]any{"command": path, "flags": set}
}

// rerunArgs turns `rerun MANIFEST [FLAG...]` into the command line that repeats the run
// the manifest records: its command, its flags, then FLAG... (which win).
func rerunArgs(ctx context.Context, args []string) ([]string, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return nil, launch.WithCode(launch.ExitUsage, fmt.Errorf("rerun: want `runner rerun PREFIX/manifest.json [flags that override]`"))
	}
	m, err := launch.ReadManifestFile(ctx, args[0])
	if err != nil {
		return nil, launch.WithCode(launch.ExitUsage, fmt.Errorf("rerun: %w", err))
	}
	inv, _ := m.Config["invocation"].(map[string]any)
	command, _ := inv["command"].(string)
	set, _ := inv["flags"].(map[string]any)
	if command == "" {
		return nil, launch.WithCode(launch.ExitUsage, fmt.Errorf("rerun: %s records no command line (written by an older rlcurate?)", args[0]))
	}
	out := strings.Fields(command)
	names := make([]string, 0, len(set))
	for name := range set {
		names = append(names, name)
	}
	sort.Strings(names)
	override := map[string]bool{}
	for _, a := range args[1:] {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		override[name] = true
	}
	for _, name := range names {
		vals, _ := set[name].([]any)
		for _, v := range vals {
			if !override[name] {
				out = append(out, fmt.Sprintf("--%s=%v", name, v))
			}
		}
	}
	out = append(out, args[1:]...)
	fmt.Fprintf(os.Stderr, "rerun: runner %s\n", shellJoin(out))
	return out, nil
}
