package transforms

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rlcurate/rlcurate/internal/blob"
)

// TestWriteAtomic fails a shard write midway, on disk and on GCS, and expects nothing
// under the final name and no temporary file left behind.
func TestWriteAtomic(t *testing.T) {
	ctx := context.Background()
	for _, prefix := range []string{t.TempDir(), "gs://" + testBucket + "/atomic"} {
		t.Run(strings.SplitN(prefix, ":", 2)[0], func(t *testing.T) {
			sink := Sink{Prefix: prefix, Output: "data", Name: "rows", Shards: 1}
			testHookWriteLine = func(i int) error {
				if i == 2 {
					return errors.New("disk on fire")
				}
				return nil
			}
			_, err := writeLines(ctx, sink, 0, linesOf(`{"a":1}`, `{"a":2}`, `{"a":3}`))
			testHookWriteLine = nil
			if err == nil || !strings.Contains(err.Error(), "disk on fire") {
				t.Fatalf("writeLines = %v, want the injected failure", err)
			}
			left, err := blob.List(ctx, blob.Join(prefix, "data", "*"))
			if err != nil {
				t.Fatal(err)
			}
			left2, _ := blob.List(ctx, blob.Join(prefix, "data", ".tmp-*"))
			if len(left)+len(left2) != 0 {
				t.Errorf("files left after a failed write: %v %v", left, left2)
			}
			// The same write without the fault commits.
			info, err := writeLines(ctx, sink, 0, linesOf(`{"a":1}`))
			if err != nil || info.Rows != 1 {
				t.Fatalf("writeLines = %+v, %v", info, err)
			}
			final := blob.Join(prefix, info.Path)
			if ok, _ := blob.Exists(ctx, final); !ok {
				t.Errorf("%s missing after a good write", final)
			}
		})
	}
}

// linesOf gives lines the way writeLines takes them.
func linesOf(lines ...string) func(func(string) error) error {
	return func(line func(string) error) error {
		for _, l := range lines {
			if err := line(l); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestCheckWritable(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		prefix  string
		emu     string // STORAGE_EMULATOR_HOST override; "" keeps the test emulator
		wantErr string
	}{
		{"local ok", filepath.Join(t.TempDir(), "a", "b"), "", ""},
		{"local unwritable", "/proc/rlcurate-out", "", "not writable"},
		{"bucket ok", "gs://" + testBucket + "/x", "", ""},
		{"missing bucket", "gs://no-such-bucket/x", "", "does not exist"},
		{"no bucket", "gs:///x", "", "no bucket"},
		{"dead endpoint", "gs://" + testBucket + "/x", "127.0.0.1:1", "did not answer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.emu != "" {
				t.Setenv("STORAGE_EMULATOR_HOST", tc.emu)
				old := blob.CheckTimeout
				blob.CheckTimeout = 2 * time.Second
				defer func() { blob.CheckTimeout = old }()
			}
			start := time.Now()
			err := blob.CheckWritable(ctx, tc.prefix)
			if tc.wantErr == "" && err != nil {
				t.Errorf("CheckWritable(%s) = %v", tc.prefix, err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("CheckWritable(%s) = %v, want an error containing %q", tc.prefix, err, tc.wantErr)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("CheckWritable took %v; it must fail fast", d)
			}
		})
	}
}
