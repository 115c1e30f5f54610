package blob

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"testing"
)

func TestOpenRange(t *testing.T) {
	fakeGCS(t)
	ctx := context.Background()
	const data = "0123456789abcdef"
	local := filepath.Join(t.TempDir(), "f.txt")
	for _, p := range []string{local, "gs://b/f.txt"} {
		if err := WriteAtomic(ctx, p, []byte(data)); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			offset, length int64
			want           string
		}{
			{0, -1, data},
			{0, 4, "0123"},
			{10, 3, "abc"},
			{12, -1, "cdef"},
			{14, 10, "ef"},
		}
		for _, c := range cases {
			r, err := OpenRange(ctx, p, c.offset, c.length)
			if err != nil {
				t.Fatalf("%s [%d,+%d): %v", p, c.offset, c.length, err)
			}
			got, err := io.ReadAll(r)
			r.Close()
			if err != nil || string(got) != c.want {
				t.Errorf("%s [%d,+%d) = %q, %v; want %q", p, c.offset, c.length, got, err, c.want)
			}
		}
		if _, err := OpenRange(ctx, p+".missing", 0, 1); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s missing: err = %v, want fs.ErrNotExist", p, err)
		}
	}
}
