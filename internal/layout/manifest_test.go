package layout

import (
	"errors"
	"testing"
)

func TestManifestCheck(t *testing.T) {
	data := func(rows int64) Shard { return Shard{Output: DataOutput, Path: "data/x", Rows: rows} }
	dead := func(rows int64) Shard { return Shard{Output: DeadLetterOutput, Path: "deadletter/x", Rows: rows} }
	aux := func(rows int64) Shard { return Shard{Output: "scores", Path: "scores/x", Rows: rows} }
	tests := []struct {
		name     string
		tallies  map[string]int64
		shards   []Shard
		written  int64
		dead     int64
		accounts bool
	}{
		{"all written", map[string]int64{"read": 5}, []Shard{data(2), data(3)}, 5, 0, true},
		{"mixed", map[string]int64{"read": 10, "filtered": 3}, []Shard{data(4), dead(2), dead(1)}, 4, 3, true},
		{"aux outputs are not counted", map[string]int64{"read": 4}, []Shard{data(4), aux(4)}, 4, 0, true},
		{"lost record", map[string]int64{"read": 6}, []Shard{data(4), dead(1)}, 4, 1, false},
		{"extra record", map[string]int64{"read": 1}, []Shard{data(2)}, 2, 0, false},
		{"empty job", nil, nil, 0, 0, true},
		{"tally cannot override written", map[string]int64{"read": 2, "written": 2}, []Shard{data(1)}, 1, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := NewManifest("test", "v", tc.tallies, tc.shards, nil)
			if got := m.Counts[CountWritten]; got != tc.written {
				t.Errorf("written = %d, want %d", got, tc.written)
			}
			if got := m.Counts[CountDeadLettered]; got != tc.dead {
				t.Errorf("dead_lettered = %d, want %d", got, tc.dead)
			}
			err := m.Check()
			if tc.accounts && err != nil {
				t.Errorf("Check() = %v, want nil", err)
			}
			if !tc.accounts && !errors.Is(err, ErrUnaccounted) {
				t.Errorf("Check() = %v, want ErrUnaccounted", err)
			}
		})
	}
}

func TestShardName(t *testing.T) {
	if got, want := ShardName("samples", 3, 12, "jsonl"), "samples-00003-of-00012.jsonl"; got != want {
		t.Errorf("ShardName = %q, want %q", got, want)
	}
}

func TestPublishedName(t *testing.T) {
	got := PublishedName("samples", 3, 12, "jsonl", "1a2b3c4d5e6f7a8b9c")
	if want := "samples-00003-of-00012-1a2b3c4d5e6f.jsonl"; got != want {
		t.Errorf("PublishedName = %q, want %q", got, want)
	}
	for name, want := range map[string]bool{
		got: true, "samples-00003-of-00012.jsonl": true, ".tmp-uuid-samples-00000-of-00001.jsonl": true,
		"train-00000-of-00004-abc.parquet": true, "notes.txt": false, "frames": false, "manifest.json": false,
	} {
		if IsShardFile(name) != want {
			t.Errorf("IsShardFile(%q) = %v, want %v", name, !want, want)
		}
	}
}
