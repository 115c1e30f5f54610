package store

import (
	"context"
	"testing"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/gcstest"
	"github.com/rlcurate/rlcurate/schedule"
)

// fakeGCS starts fake-gcs-server with the bucket "sched" and points
// STORAGE_EMULATOR_HOST at it.
func fakeGCS(t *testing.T) {
	t.Helper()
	_, host := gcstest.StartT(t, "sched")
	t.Setenv("STORAGE_EMULATOR_HOST", host)
}

func newClient(t *testing.T) *blob.GCS {
	t.Helper()
	c, err := blob.NewGCS(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestGCSConcurrent(t *testing.T) {
	fakeGCS(t)
	var stores []schedule.Store
	for i := 0; i < 3; i++ { // independent clients, as separate workers would have
		stores = append(stores, &GCS{Client: newClient(t), Path: "gs://sched/ladder/state.json"})
	}
	hammer(t, stores, 8)
}

func TestGCSEmpty(t *testing.T) {
	fakeGCS(t)
	s := &GCS{Client: newClient(t), Path: "gs://sched/none.json"}
	st, err := s.Load(context.Background())
	if err != nil || len(st.Samples) != 0 {
		t.Fatalf("Load of missing object = %+v, %v", st, err)
	}
}
