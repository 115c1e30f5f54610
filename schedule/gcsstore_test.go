package schedule

import (
	"context"
	"fmt"
	"net"
	"testing"

	"cloud.google.com/go/storage"
	"github.com/fsouza/fake-gcs-server/fakestorage"
	"google.golang.org/api/option"
)

func freePort(t *testing.T) uint16 {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return uint16(l.Addr().(*net.TCPAddr).Port)
}

func fakeGCS(t *testing.T) *fakestorage.Server {
	t.Helper()
	port := freePort(t)
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{
		Scheme:     "http",
		Host:       "127.0.0.1",
		Port:       port,
		PublicHost: fmt.Sprintf("127.0.0.1:%d", port),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: "sched"})
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
