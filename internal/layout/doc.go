// Package layout holds the records every rlcurate job writes beside its data: the
// dead-letter row, the shard entry and the manifest that accounts for every input
// record. It is pure Go: no Beam, no cgo.
package layout
