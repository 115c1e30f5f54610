package transforms

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rlcurate/rlcurate/internal/blob"
)

// spillAll runs the spill of one bundle per element of bundles, as SortRuns would, and
// returns the runs written.
func spillAll(t *testing.T, dir string, buckets int, budget int64, bundles [][]entry) []Run {
	t.Helper()
	ctx := context.Background()
	var runs []Run
	emit := func(r Run) { runs = append(runs, r) }
	for _, bundle := range bundles {
		sp := &spiller{dir: dir, name: "t", buckets: buckets, budget: budget}
		for _, e := range bundle {
			if err := sp.add(ctx, e.key, e.value, emit); err != nil {
				t.Fatal(err)
			}
		}
		if err := sp.flush(ctx, emit); err != nil {
			t.Fatal(err)
		}
	}
	return runs
}

// mergeAll merges every part of runs into n parts and returns, per part, its entries.
func mergeAll(t *testing.T, runs []Run, buckets, n int) [][]entry {
	t.Helper()
	parts, err := planParts(runs, buckets, n)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]entry, n)
	for i, p := range parts {
		if p.Index != i || p.Of != n {
			t.Fatalf("part %d is %d of %d, want %d of %d", i, p.Index, p.Of, i, n)
		}
		err := MergePart(context.Background(), p, func(key string, value []byte) error {
			out[i] = append(out[i], entry{bucket: ShardOf(key, buckets), key: key, value: bytes.Clone(value)})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// want returns the entries of bundles in each of n parts, sorted: what the sort must give.
func wantParts(bundles [][]entry, buckets, n int) [][]entry {
	out := make([][]entry, n)
	for _, b := range bundles {
		for _, e := range b {
			e.bucket = ShardOf(e.key, buckets)
			part := 0
			for part+1 < n && e.bucket >= partStart(part+1, n, buckets) {
				part++
			}
			out[part] = append(out[part], e)
		}
	}
	for _, p := range out {
		slices.SortFunc(p, func(a, b entry) int { return compareEntries(&a, &b) })
	}
	return out
}

func sameEntries(a, b []entry) bool {
	return slices.EqualFunc(a, b, func(x, y entry) bool {
		return x.bucket == y.bucket && x.key == y.key && bytes.Equal(x.value, y.value)
	})
}

// randomBundles returns bundles of random entries with many duplicate keys and
// duplicate entries, and some empty bundles.
func randomBundles(seed uint64, bundles, perBundle int) [][]entry {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([][]entry, bundles)
	for i := range out {
		if rng.IntN(5) == 0 {
			continue // an empty bundle
		}
		for range rng.IntN(perBundle) + 1 {
			key := fmt.Sprintf("k%03d", rng.IntN(300))
			var value []byte
			if rng.IntN(3) > 0 {
				value = fmt.Appendf(nil, "v%d", rng.IntN(4))
			}
			out[i] = append(out[i], entry{key: key, value: value})
		}
	}
	return out
}

func TestSortSpillMerge(t *testing.T) {
	huge := strings.Repeat("h", 3<<20)
	tests := []struct {
		name             string
		bundles          [][]entry
		buckets, parts   int
		budget           int64
		minRuns, maxRuns int
	}{
		{"one run per bundle", randomBundles(1, 20, 200), 7, 7, 1 << 20, 1, 20},
		{"many runs", randomBundles(2, 20, 200), 7, 7, 300, 100, 5000},
		{"fine buckets in few parts", randomBundles(3, 10, 300), AutoShardBuckets, 3, 2000, 10, 5000},
		{"one part", randomBundles(4, 10, 300), AutoShardBuckets, 1, 2000, 10, 5000},
		{"buckets without entries", [][]entry{{{key: "a"}, {key: "b"}}}, 64, 16, 1 << 20, 1, 1},
		{"duplicates kept", [][]entry{{{key: "x", value: []byte("1")}, {key: "x", value: []byte("1")}}, {{key: "x", value: []byte("1")}, {key: "x"}}}, 3, 3, 1 << 20, 2, 2},
		{"no entries", [][]entry{nil, {}}, 4, 4, 1 << 20, 0, 0},
		{"huge rows", [][]entry{{{key: huge + "b"}, {key: "small"}, {key: huge + "a", value: []byte(huge)}}}, 2, 2, 1 << 10, 2, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			runs := spillAll(t, t.TempDir(), tc.buckets, tc.budget, tc.bundles)
			if len(runs) < tc.minRuns || len(runs) > tc.maxRuns {
				t.Errorf("%d runs, want %d to %d", len(runs), tc.minRuns, tc.maxRuns)
			}
			got, want := mergeAll(t, runs, tc.buckets, tc.parts), wantParts(tc.bundles, tc.buckets, tc.parts)
			for i := range want {
				if !sameEntries(got[i], want[i]) {
					t.Errorf("part %d: %d entries merged, want %d in order", i, len(got[i]), len(want[i]))
				}
			}
		})
	}
}

// TestSortRunsIndependent: however the entries are cut into bundles and runs, every
// part merges to the same sequence.
func TestSortRunsIndependent(t *testing.T) {
	bundles := randomBundles(5, 30, 100)
	var all []entry
	for _, b := range bundles {
		all = append(all, b...)
	}
	const buckets, parts = 64, 5
	one := mergeAll(t, spillAll(t, t.TempDir(), buckets, 1<<30, [][]entry{all}), buckets, parts)
	many := mergeAll(t, spillAll(t, t.TempDir(), buckets, 200, bundles), buckets, parts)
	for i := range one {
		if !sameEntries(one[i], many[i]) {
			t.Errorf("part %d differs between one run and many", i)
		}
	}
}

func TestSortRunIndex(t *testing.T) {
	runs := spillAll(t, t.TempDir(), 1000, 1<<20, [][]entry{{{key: "a"}, {key: "b"}, {key: "c"}, {key: "d"}}})
	r := runs[0]
	if r.Rows != 4 {
		t.Errorf("rows %d, want 4", r.Rows)
	}
	if len(r.Index) > 4*2*2 {
		t.Errorf("index of 4 buckets takes %d bytes", len(r.Index))
	}
	lengths, err := r.partLengths(1000, 1)
	if err != nil || lengths[0] != r.Bytes {
		t.Errorf("one part holds %v of %d bytes, %v", lengths, r.Bytes, err)
	}
	for _, bad := range []Run{
		{Path: "x", Bytes: r.Bytes + 1, Index: r.Index},
		{Path: "x", Bytes: r.Bytes, Index: r.Index[:len(r.Index)-1]},
		{Path: "x", Bytes: r.Bytes, Index: []byte{0xff}},
	} {
		if _, err := planParts([]Run{bad}, 1000, 2); err == nil {
			t.Errorf("planParts of a bad index %v = nil error", bad.Index)
		}
	}
	if _, err := r.partLengths(10, 1); err == nil {
		t.Error("partLengths with fewer buckets than the index names = nil error")
	}
}

func TestSortCorruptRun(t *testing.T) {
	dir := t.TempDir()
	runs := spillAll(t, dir, 1, 1<<20, [][]entry{{{key: "abc", value: []byte("def")}, {key: "ghi"}}})
	cut := Part{Index: 0, Of: 1, Segments: []Segment{{Path: runs[0].Path, Offset: 0, Length: runs[0].Bytes - 2}}}
	err := MergePart(context.Background(), cut, func(string, []byte) error { return nil })
	if !errors.Is(err, errCorruptRun) {
		t.Errorf("merge of a cut run = %v, want a corrupt run error", err)
	}
	missing := Part{Segments: []Segment{{Path: filepath.Join(dir, "nope"), Length: 10}}}
	if err := MergePart(context.Background(), missing, func(string, []byte) error { return nil }); err == nil {
		t.Error("merge of a missing run = nil error")
	}
	stop := errors.New("stop")
	if err := MergePart(context.Background(), Part{Segments: []Segment{{Path: runs[0].Path, Length: runs[0].Bytes}}},
		func(string, []byte) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("merge whose callback fails = %v, want its error", err)
	}
}

// TestSortGCS spills to and merges from gs:// (the emulator).
func TestSortGCS(t *testing.T) {
	bundles := randomBundles(6, 8, 300)
	const buckets, parts = 16, 3
	runs := spillAll(t, "gs://"+testBucket+"/sort-runs", buckets, 500, bundles)
	if len(runs) < 2 || !strings.HasPrefix(runs[0].Path, "gs://"+testBucket+"/sort-runs/.tmp-") {
		t.Fatalf("runs %d, first %s; want several temporary gs:// runs", len(runs), runs[0].Path)
	}
	got, want := mergeAll(t, runs, buckets, parts), wantParts(bundles, buckets, parts)
	for i := range want {
		if !sameEntries(got[i], want[i]) {
			t.Errorf("part %d: %d entries merged, want %d in order", i, len(got[i]), len(want[i]))
		}
	}
	for _, r := range runs {
		blob.Remove(context.Background(), r.Path)
	}
}

func TestPartsFor(t *testing.T) {
	tests := []struct {
		name                string
		bytes, rows         int64
		partBytes, partRows int64
		buckets             int
		want                int
	}{
		{"empty", 0, 0, 100, 10, 4096, 1},
		{"small", 99, 9, 100, 10, 4096, 1},
		{"bytes decide", 1000, 20, 100, 10, 4096, 10},
		{"rows decide", 1000, 200, 100, 10, 4096, 20},
		{"just over", 101, 1, 100, 10, 4096, 2},
		{"capped by buckets", 1 << 40, 1, 100, 10, 4096, 4096},
		{"defaults", 3 * AutoShardBytes, 1, 0, 0, 4096, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := PartsFor(tc.bytes, tc.rows, tc.partBytes, tc.partRows, tc.buckets); got != tc.want {
				t.Errorf("PartsFor = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestPlanPartsCoversBuckets(t *testing.T) {
	for _, c := range [][2]int{{4096, 3}, {4096, 4096}, {7, 7}, {10, 4}, {1, 1}} {
		buckets, n := c[0], c[1]
		seen := 0
		for i := 0; i < n; i++ {
			lo, hi := partStart(i, n, buckets), partStart(i+1, n, buckets)
			if lo != seen || hi <= lo {
				t.Errorf("%d buckets in %d parts: part %d is [%d, %d)", buckets, n, i, lo, hi)
			}
			seen = hi
		}
		if seen != buckets {
			t.Errorf("%d buckets in %d parts cover %d", buckets, n, seen)
		}
	}
	if _, err := planParts(nil, 4, 5); err == nil {
		t.Error("more parts than buckets = nil error")
	}
}

// TestSpillShare: bundles spilling at once share the budget, each holding its part of
// it, never less than minShare (or the budget when that is smaller).
func TestSpillShare(t *testing.T) {
	ctx := context.Background()
	emit := func(Run) {}
	a := &spiller{dir: t.TempDir(), name: "a", buckets: 1, budget: 64 << 20}
	b := &spiller{dir: t.TempDir(), name: "b", buckets: 1, budget: 64 << 20}
	tiny := &spiller{dir: t.TempDir(), name: "t", buckets: 1, budget: 1000}
	a.start()
	if got := a.share(); got != 64<<20 {
		t.Errorf("share of the only spiller = %d, want the budget", got)
	}
	b.start()
	if got := a.share(); got != 32<<20 {
		t.Errorf("share of one of two = %d, want half the budget", got)
	}
	var more []*spiller
	for range 200 {
		s := &spiller{budget: 64 << 20}
		s.start()
		more = append(more, s)
	}
	if got := a.share(); got != minShare {
		t.Errorf("share of one of 202 = %d, want minShare", got)
	}
	if got := tiny.share(); got != 1000 {
		t.Errorf("share of a budget under minShare = %d, want the budget", got)
	}
	for _, s := range append(more, a, b) {
		if err := s.finish(ctx, emit); err != nil {
			t.Fatal(err)
		}
	}
	if n := spilling.Load(); n != 0 {
		t.Errorf("%d spillers counted after all finished", n)
	}
}

func TestLineSortValue(t *testing.T) {
	lines := []Line{
		{File: "b.jsonl", Number: 1, Text: "x"},
		{File: "a.jsonl", Number: 10, Text: "a"},
		{File: "a.jsonl", Number: 9, Text: "z\x00\n"},
		{File: "a", Number: 100, Text: ""},
		{File: "a/b.jsonl", Number: 2, Text: "{}"},
		{File: "gs://x/a.jsonl", Number: 1<<62 + 3, Text: "{}"},
	}
	for _, l := range lines {
		got, err := DecodeLineSortValue(LineSortValue(l))
		if err != nil || got != l {
			t.Errorf("DecodeLineSortValue(LineSortValue(%+v)) = %+v, %v", l, got, err)
		}
	}
	byValue := slices.Clone(lines)
	slices.SortFunc(byValue, func(a, b Line) int { return bytes.Compare(LineSortValue(a), LineSortValue(b)) })
	byFileLine := slices.Clone(lines)
	slices.SortFunc(byFileLine, func(a, b Line) int {
		if a.File != b.File {
			return strings.Compare(a.File, b.File)
		}
		return int(a.Number - b.Number)
	})
	if !slices.Equal(byValue, byFileLine) {
		t.Errorf("sort values order lines %v, want by file then line %v", byValue, byFileLine)
	}
	for _, bad := range []string{"", "no nul", "f\x00123"} {
		if _, err := DecodeLineSortValue([]byte(bad)); err == nil {
			t.Errorf("DecodeLineSortValue(%q) = nil error", bad)
		}
	}
}
