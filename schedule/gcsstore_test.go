package schedule

import (
	"context"
	"testing"

	"cloud.google.com/go/storage"
	"github.com/fsouza/fake-gcs-server/fakestorage"
	"github.com/rlcurate/rlcurate/internal/gcstest"
	"google.golang.org/api/option"
)

func fakeGCS(t *testing.T) *fakestorage.Server {
	t.Helper()
	srv, _ := gcstest.StartT(t, "sched")
	return srv
}

func newClient(t *testing.T, srv *fakestorage.Server) *storage.Client {
	t.Helper()
	c, err := storage.NewClient(context.Background(),
		option.WithEndpoint(srv.URL()+"/storage/v1/"), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestGCSStoreConcurrent(t *testing.T) {
	srv := fakeGCS(t)
	var stores []Store
	for i := 0; i < 3; i++ { // independent clients, as separate workers would have
		stores = append(stores, &GCSStore{Client: newClient(t, srv), Bucket: "sched", Object: "ladder/state.json"})
	}
	hammer(t, stores, 8)
}

func TestGCSStoreEmpty(t *testing.T) {
	srv := fakeGCS(t)
	s := &GCSStore{Client: newClient(t, srv), Bucket: "sched", Object: "none.json"}
	st, err := s.Load(context.Background())
	if err != nil || len(st.Samples) != 0 {
		t.Fatalf("Load of missing object = %+v, %v", st, err)
	}
}
