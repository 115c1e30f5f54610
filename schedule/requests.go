package schedule

import "slices"

// MaxRequests is how many applied request ids a State remembers: enough to recognise a
// client's retry of a request whose answer was lost (seconds later), small enough that
// the ids do not weigh on every write of the state.
const MaxRequests = 1024

// Applied reports whether the outcomes of the request with id were already recorded
// in st (RecordRequest), so that a retry must not record them again.
func (st *State) Applied(id string) bool { return slices.Contains(st.Requests, id) }

// RecordRequest remembers that the request with id has been applied, forgetting the
// oldest ids beyond MaxRequests.
func (st *State) RecordRequest(id string) {
	st.Requests = append(st.Requests, id)
	if n := len(st.Requests) - MaxRequests; n > 0 {
		st.Requests = slices.Delete(st.Requests, 0, n)
	}
}
