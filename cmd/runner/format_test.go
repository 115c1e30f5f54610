package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/rlcurate/rlcurate/internal/export"
	"github.com/rlcurate/rlcurate/internal/layout"
)

// TestOutputFormatBoth checks that the default --output-format writes verl-ready Parquet
// shards of exactly the rows of the JSONL data shards, listed in the manifest.
func TestOutputFormatBoth(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "out")
	out, err := runner(t, nil, "writing", "select", "--input", example(t, "writing_samples.jsonl"), "--output", prefix, "--top-k", "6")
	if err != nil {
		t.Fatalf("writing select: %v\n%s", err, out)
	}
	m := readManifest(t, prefix)
	var parquetRows int64
	var ids []string
	for _, sh := range m.Shards {
		if sh.Output != "parquet" {
			continue
		}
		parquetRows += sh.Rows
		rows, err := parquet.ReadFile[export.WritingRow](filepath.Join(prefix, sh.Path))
		if err != nil {
			t.Fatalf("%s: %v", sh.Path, err)
		}
		if int64(len(rows)) != sh.Rows {
			t.Errorf("%s holds %d rows, manifest says %d", sh.Path, len(rows), sh.Rows)
		}
		for _, r := range rows {
			ids = append(ids, r.RewardModel.GroundTruth.ID)
		}
	}
	if parquetRows != m.Counts[layout.CountWritten] || parquetRows == 0 {
		t.Errorf("parquet rows = %d, written = %d; want the same, non-zero", parquetRows, m.Counts[layout.CountWritten])
	}
	var jsonlIDs []string
	for _, r := range readJSONL[struct{ ID string }](t, prefix, "data") {
		jsonlIDs = append(jsonlIDs, r.ID)
	}
	slices.Sort(ids)
	slices.Sort(jsonlIDs)
	if !slices.Equal(ids, jsonlIDs) {
		t.Errorf("parquet ids %v, JSONL ids %v", ids, jsonlIDs)
	}

	out, err = runner(t, nil, "writing", "select", "--input", example(t, "writing_samples.jsonl"), "--output", prefix, "--top-k", "6", "--output-format", "parquet")
	if err == nil || !strings.Contains(out, "jsonl is always written") {
		t.Errorf("--output-format parquet = %v, want a clear refusal:\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(prefix, "parquet")); err != nil {
		t.Error(err)
	}
}
