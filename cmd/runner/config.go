package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/rlcurate/rlcurate/internal/launch"
	"go.yaml.in/yaml/v3"
)

// configFile is --config: a YAML or JSON object whose keys are flag names; flags given
// on the command line win over it.
var configFile = flag.String("config", "", "YAML or JSON file of flag values (keys are flag names without --); flags on the command line win")

// applyConfig sets, from --config, every flag that the command line did not set. A key
// that names no flag is a usage error with the nearest flag suggested; a list sets a
// repeatable flag once per element (other flags take it comma-joined).
func applyConfig(fs *flag.FlagSet, path string) error {
	if *configFile == "" {
		return nil
	}
	values, err := readConfig(*configFile)
	if err != nil {
		return launch.WithCode(launch.ExitUsage, fmt.Errorf("--config %s: %w", *configFile, err))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := strings.TrimLeft(k, "-")
		if fs.Lookup(name) == nil || name == "config" {
			return unknownFlag(fs, path, fmt.Errorf("flag provided but not defined: -%s", name))
		}
		if given[name] {
			continue
		}
		vals := configValues(values[k])
		if _, basic := unwrap(fs.Lookup(name).Value).(flag.Getter); basic && len(vals) > 1 {
			vals = []string{strings.Join(vals, ",")} // a plain flag takes a list comma-joined
		}
		for _, v := range vals {
			if err := fs.Set(name, v); err != nil {
				return launch.WithCode(launch.ExitUsage, fmt.Errorf("--config %s: %s: %w", *configFile, name, err))
			}
		}
	}
	return nil
}

// readConfig reads a JSON (.json) or YAML file holding one object.
func readConfig(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var values map[string]any
	if strings.EqualFold(filepath.Ext(path), ".json") {
		err = json.Unmarshal(b, &values)
	} else {
		err = yaml.Unmarshal(b, &values)
	}
	if err != nil {
		return nil, fmt.Errorf("not a YAML or JSON object of flag values: %w", err)
	}
	return values, nil
}

// configValues renders a config value as the flag values to set: a list of scalars is
// one value per element (applyConfig joins them for a flag that is not repeatable), a
// scalar one value.
func configValues(v any) []string {
	list, ok := v.([]any)
	if !ok {
		return []string{scalar(v)}
	}
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = scalar(e)
	}
	return out
}

// scalar renders a number, bool or string the way the flag package parses it.
func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}
