package launch

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/gcstest"
)

// TestDescribeInputs: every local file gets its sha256 whatever its size; a gs:// object
// up to HashLimit too, and one over it the MD5 and CRC32C that GCS keeps, with no
// sha256; the report line names the digest it has.
func TestDescribeInputs(t *testing.T) {
	_, host := gcstest.StartT(t, "b")
	t.Setenv("STORAGE_EMULATOR_HOST", host)
	defer func(n int64) { HashLimit = n }(HashLimit)
	HashLimit = 100
	ctx := context.Background()
	small, large := strings.Repeat("s", 100), strings.Repeat("L", 101)
	dir := t.TempDir()
	for name, body := range map[string]string{"a-small.jsonl": small, "b-large.jsonl": large} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := blob.WriteAtomic(ctx, "gs://b/in/"+name, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	sha := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	md := func(s string) string { h := md5.Sum([]byte(s)); return hex.EncodeToString(h[:]) }
	crc := func(s string) string {
		return fmt.Sprintf("%08x", crc32.Checksum([]byte(s), crc32.MakeTable(crc32.Castagnoli)))
	}
	tests := []struct {
		glob string
		want []InputFile
	}{
		{filepath.Join(dir, "*.jsonl"), []InputFile{
			{Path: filepath.Join(dir, "a-small.jsonl"), Bytes: 100, SHA256: sha(small)},
			{Path: filepath.Join(dir, "b-large.jsonl"), Bytes: 101, SHA256: sha(large)},
		}},
		{"gs://b/in/*.jsonl", []InputFile{
			{Path: "gs://b/in/a-small.jsonl", Bytes: 100, SHA256: sha(small)},
			{Path: "gs://b/in/b-large.jsonl", Bytes: 101, MD5: md(large), CRC32C: crc(large)},
		}},
	}
	for _, tc := range tests {
		got, err := DescribeInputs(ctx, tc.glob)
		if err != nil {
			t.Fatalf("%s: %v", tc.glob, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.glob, got, tc.want)
		}
	}
	line := inputLine(map[string]any{"path": "gs://b/in/b-large.jsonl", "bytes": 101.0, "md5": md(large), "crc32c": crc(large)})
	if want := "gs://b/in/b-large.jsonl (101 bytes, md5 " + md(large) + ")"; line != want {
		t.Errorf("report line %q, want %q", line, want)
	}
}
