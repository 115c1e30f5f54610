package layout

import "fmt"

// Shard describes one committed output file.
type Shard struct {
	Output string `json:"output"` // which output it belongs to: "data", "deadletter", "scores", ...
	Path   string `json:"path"`   // relative to the job's output prefix, slash-separated
	Rows   int64  `json:"rows"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"` // hex digest of the file's bytes
}

// ShardName returns the file name of shard i of n of the named output, in the form
// name-00000-of-00004.ext.
func ShardName(name string, i, n int, ext string) string {
	return fmt.Sprintf("%s-%05d-of-%05d.%s", name, i, n, ext)
}
