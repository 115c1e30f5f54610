package export

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/parquet-go/parquet-go"
)

func TestEncodeParquetRoundTrip(t *testing.T) {
	t.Run("writing", func(t *testing.T) {
		rows := readLines(t, "writing.jsonl")
		var buf bytes.Buffer
		n, err := EncodeParquet(&buf, rows, Options{Kind: Writing})
		if err != nil || n != int64(len(rows)) {
			t.Fatalf("EncodeParquet = %d, %v; want %d rows", n, err, len(rows))
		}
		got, err := parquet.Read[WritingRow](bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			want, err := FromWriting([]byte(row), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got[i], want) {
				t.Errorf("row %d read back =\n%s\nwant\n%s", i, mustJSON(got[i]), mustJSON(want))
			}
		}
	})
	t.Run("video", func(t *testing.T) {
		rows := readLines(t, "video.jsonl")
		opts := Options{Kind: Video, FrameRoot: "file:///mnt/gcs/run"}
		var buf bytes.Buffer
		if _, err := EncodeParquet(&buf, rows, opts); err != nil {
			t.Fatal(err)
		}
		got, err := parquet.Read[VideoRow](bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(rows) {
			t.Fatalf("read %d rows, want %d", len(got), len(rows))
		}
		for i, row := range rows {
			want, err := FromVideo([]byte(row), opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got[i], want) {
				t.Errorf("row %d read back =\n%s\nwant\n%s", i, mustJSON(got[i]), mustJSON(want))
			}
		}
	})
	t.Run("many rows span row groups", func(t *testing.T) {
		row := readLines(t, "writing.jsonl")[0]
		rows := make([]string, RowsPerRowGroup*2+3)
		for i := range rows {
			rows[i] = row
		}
		var buf bytes.Buffer
		if _, err := EncodeParquet(&buf, rows, Options{Kind: Writing}); err != nil {
			t.Fatal(err)
		}
		f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		if f.NumRows() != int64(len(rows)) || len(f.RowGroups()) != 3 {
			t.Errorf("%d rows in %d row groups, want %d in 3", f.NumRows(), len(f.RowGroups()), len(rows))
		}
	})
	t.Run("empty", func(t *testing.T) {
		var buf bytes.Buffer
		if n, err := EncodeParquet(&buf, nil, Options{Kind: Video}); err != nil || n != 0 {
			t.Fatalf("EncodeParquet(nil) = %d, %v", n, err)
		}
		f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := f.Schema().Lookup("videos", "list", "element", "sample_fps"); f.NumRows() != 0 || !ok {
			t.Errorf("empty file: %d rows, schema %v", f.NumRows(), f.Schema())
		}
	})
}

func TestEncodeParquetErrors(t *testing.T) {
	var buf bytes.Buffer
	if _, err := EncodeParquet(&buf, []string{`{"id":"x"}`}, Options{Kind: Writing}); !errors.Is(err, ErrBadRow) {
		t.Errorf("bad row: %v, want ErrBadRow", err)
	}
	if _, err := EncodeParquet(&buf, nil, Options{Kind: "audio"}); err == nil {
		t.Error("unknown kind accepted")
	}
}
