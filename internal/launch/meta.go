package launch

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/report"
)

// metaKeys are the config entries every job records for its report's metadata block
// (see runPipeline), not shown again among its parameters.
var metaKeys = map[string]bool{"versions": true, "invocation": true, "inputs": true, "started": true}

// metadata renders a run's metadata from its manifest: the versions, the command line
// that ran it, its input files with sizes and hashes, when it started and how long it
// took (to the report).
func metadata(m layout.Manifest) []report.KV {
	var out []report.KV
	add := func(k, v string) {
		if v != "" {
			out = append(out, report.KV{Key: k, Value: v})
		}
	}
	add("rlcurate", m.Version)
	if v, ok := m.Config["versions"].(map[string]any); ok {
		var parts []string
		for _, k := range []string{"go", "beam", "ffmpeg", "go-astiav"} {
			if s, ok := v[k].(string); ok {
				parts = append(parts, k+" "+s)
			}
		}
		add("versions", strings.Join(parts, ", "))
	}
	add("command", commandLine(m.Config["invocation"]))
	if ins, ok := m.Config["inputs"].([]any); ok {
		for i, in := range ins {
			add(fmt.Sprintf("input %d", i+1), inputLine(in))
		}
	}
	if s, ok := m.Config["started"].(string); ok {
		add("started", s)
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			add("duration", time.Since(t).Round(time.Second).String())
		}
	}
	return out
}

// commandLine renders a recorded invocation as "runner COMMAND --flag=value ...".
func commandLine(v any) string {
	inv, _ := v.(map[string]any)
	cmd, _ := inv["command"].(string)
	if cmd == "" {
		return ""
	}
	flags, _ := inv["flags"].(map[string]any)
	names := make([]string, 0, len(flags))
	for n := range flags {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := []string{"runner " + cmd}
	for _, n := range names {
		vals, _ := flags[n].([]any)
		for _, v := range vals {
			parts = append(parts, fmt.Sprintf("--%s=%v", n, v))
		}
	}
	return strings.Join(parts, " ")
}

// inputLine renders a recorded InputFile as "path (N bytes, sha256 …)", or with the
// MD5 or CRC32C that GCS keeps for a large object.
func inputLine(v any) string {
	in, _ := v.(map[string]any)
	path, _ := in["path"].(string)
	bytes, _ := in["bytes"].(float64)
	sum := "not hashed"
	for _, k := range []string{"sha256", "md5", "crc32c"} {
		if d, _ := in[k].(string); d != "" {
			sum = k + " " + d
			break
		}
	}
	return fmt.Sprintf("%s (%d bytes, %s)", path, int64(bytes), sum)
}
