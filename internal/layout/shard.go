package layout

import (
	"fmt"
	"path"
	"regexp"
	"strings"
)

// Shard describes one committed output file.
type Shard struct {
	Output string `json:"output"` // which output it belongs to: "data", "deadletter", "scores", ...
	Path   string `json:"path"`   // relative to the job's output prefix, slash-separated
	Rows   int64  `json:"rows"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"` // hex digest of the file's bytes
}

// ShardName returns the stem of shard i of n of the named output, in the form
// name-00000-of-00004.ext. The published file carries its content digest too
// (PublishedName).
func ShardName(name string, i, n int, ext string) string {
	return fmt.Sprintf("%s-%05d-of-%05d.%s", name, i, n, ext)
}

// DigestChars is how many hex digits of a shard's SHA-256 its published name carries.
const DigestChars = 12

// PublishedName returns the name a shard is published under: ShardName with the first
// DigestChars hex digits of the file's SHA-256 before the extension, e.g.
// name-00000-of-00004-1a2b3c4d5e6f.jsonl. A rerun that writes the same bytes publishes
// the same name; a run that writes other bytes never replaces a shard an earlier
// manifest lists.
func PublishedName(name string, i, n int, ext, sha256hex string) string {
	d := sha256hex
	if len(d) > DigestChars {
		d = d[:DigestChars]
	}
	return fmt.Sprintf("%s-%05d-of-%05d-%s.%s", name, i, n, d, ext)
}

// shardFile matches the names jobs give shard files (with or without a digest) and the
// temporary names they are written under.
var shardFile = regexp.MustCompile(`-\d{5}-of-\d{5}(-[0-9a-f]+)?\.[a-z0-9]+$`)

// IsShardFile reports whether the file name (a base name) is one a job writes into an
// output folder: a shard, published or not, or a temporary file (".tmp-" prefix). The
// publish step removes only such files, never anything else a folder holds.
func IsShardFile(base string) bool {
	return strings.HasPrefix(base, ".tmp-") || shardFile.MatchString(base)
}

// Outputs returns the output folders the manifest publishes: data and deadletter
// always, then every other output its shards name, sorted.
func (m Manifest) Outputs() []string {
	seen := map[string]bool{DataOutput: true, DeadLetterOutput: true}
	outs := []string{DataOutput, DeadLetterOutput}
	for _, s := range m.Shards {
		if !seen[s.Output] {
			seen[s.Output] = true
			outs = append(outs, s.Output)
		}
	}
	return outs
}

// Listed returns the set of shard paths (relative to PREFIX, slash-separated) the
// manifest lists under the folder out.
func (m Manifest) Listed(out string) map[string]bool {
	listed := map[string]bool{}
	for _, s := range m.Shards {
		if path.Dir(s.Path) == out {
			listed[s.Path] = true
		}
	}
	return listed
}
