// Package schedule keeps Writing-RL's dynamic reference schedule (a per-sample
// pointer into a ladder of references, weakest to strongest) in state that several
// reward workers share through a Store, and MUSEG's fixed phase plan. It is pure
// Go: no Beam, no cgo.
package schedule
