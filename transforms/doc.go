// Package transforms holds rlcurate's shared Beam composites: reading JSONL from local
// paths and gs://, writing sharded output with atomic commits, dead letters, tallies and
// the manifest that proves every record was accounted for.
//
// Each composite is a plain function of a scope and collections, in the style of the
// Beam Go examples; the I/O itself goes through package blob.
package transforms
