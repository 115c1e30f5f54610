package transforms

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
)

func init() {
	register.Function1x1(lineKey)
	register.Function1x1(deadKey)
}

// lineKey and deadKey render what ReadLines emits as "number:text" and
// "number:reason", the shape referenceLines gives.
func lineKey(l Line) string { return fmt.Sprintf("%d:%s", l.Number, l.Text) }

func deadKey(d layout.DeadLetter) string {
	return fmt.Sprintf("%d:%s", d.Line, strings.SplitN(d.Reason, ":", 2)[0])
}

// referenceLines is what reading in of the whole file must give, worked out without the
// reader's code: split on "\n", number every piece from 1 (the empty piece after a final
// "\n" is no line), drop a final "\r", then: longer than max -> line_too_long, blank ->
// nothing, invalid UTF-8 -> invalid_utf8, else the line.
func referenceLines(in string, max int) (lines, dead []string) {
	pieces := strings.Split(in, "\n")
	if pieces[len(pieces)-1] == "" {
		pieces = pieces[:len(pieces)-1]
	}
	for i, p := range pieces {
		p = strings.TrimSuffix(p, "\r")
		switch {
		case len(p) > max:
			dead = append(dead, fmt.Sprintf("%d:%s", i+1, ReasonLineTooLong))
		case strings.TrimSpace(p) == "":
		case !utf8.ValidString(p):
			dead = append(dead, fmt.Sprintf("%d:%s", i+1, ReasonInvalidUTF8))
		default:
			lines = append(lines, fmt.Sprintf("%d:%s", i+1, p))
		}
	}
	return lines, dead
}

// rangeInputs are the files every range size is tried on, with their --max-line-bytes.
var rangeInputs = []struct {
	name string
	in   string
	max  int
}{
	{"plain", "a\nbb\nccc\n", 100},
	{"no trailing newline", "a\nbb\nccc", 100},
	{"crlf", "a\r\nbb\r\n\r\nccc\r\n", 100},
	{"blank lines", "\n\na\n  \n\nb\n\n", 100},
	{"line longer than the range", "x\n" + strings.Repeat("y", 200) + "\nz\n", 1000},
	{"too-long lines across ranges", "a\n" + strings.Repeat("L", 300) + "\nb\n" + strings.Repeat("M", 40) + "\nc", 16},
	{"too-long line last, crlf", "a\r\n" + strings.Repeat("L", 50) + "\r\n", 16},
	{"invalid utf-8", "ok\n\xff\xfebad\nfine\nx\xc3\n\xc3\xa9\n", 100},
	{"empty", "", 100},
	{"only newlines", "\n\n\n\n\n", 100},
	{"only crlf", "\r\n\r\n", 100},
	{"multibyte utf-8", "ünïcödé\n日本語テキスト\n😀x\n\n€", 100},
	{"one line no newline", "lonely", 100},
	{"json rows", `{"id": "r1"}` + "\n" + `{"id": "r2", "t": "é"}` + "\n\n" + `{"id": "r3"}` + "\n", 100},
}

// rangeSizes are the range sizes every input is read with.
var rangeSizes = []int64{1, 2, 3, 7, 64, 1 << 20}

// readByRanges reads file as the pipeline does, without a runner: split, count the
// newlines of every range of a file of several ranges, number every range, read it.
func readByRanges(t *testing.T, file string, per int64, max int) (lines, dead []string, nRanges int) {
	t.Helper()
	ctx := context.Background()
	size, err := blob.Size(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	rs := ranges(file, size, per)
	var counts []rangeCount
	for _, r := range rs {
		(&countNewlinesFn{}).ProcessElement(ctx, r, func(_ string, c rangeCount) { counts = append(counts, c) })
	}
	fn := &readRangeFn{MaxLineBytes: max}
	fn.Setup()
	for _, r := range rs {
		lookup := func(string) func(*rangeCount) bool {
			i := 0
			return func(c *rangeCount) bool {
				if i == len(counts) {
					return false
				}
				*c, i = counts[i], i+1
				return true
			}
		}
		var numbered byteRange
		if err := numberRange(r, lookup, func(n byteRange) { numbered = n }); err != nil {
			t.Fatalf("range %+v: %v", r, err)
		}
		err := fn.ProcessElement(ctx, numbered, func(l Line) {
			if l.File != file {
				t.Errorf("line from file %q, want %q", l.File, file)
			}
			lines = append(lines, lineKey(l))
		}, func(d layout.DeadLetter) { dead = append(dead, deadKey(d)) })
		if err != nil {
			t.Fatalf("range %+v: %v", r, err)
		}
	}
	return lines, dead, len(rs)
}

// byNumber sorts "number:..." keys by number.
func byNumber(keys []string) []string {
	slices.SortFunc(keys, func(a, b string) int {
		var na, nb int
		fmt.Sscanf(a, "%d:", &na)
		fmt.Sscanf(b, "%d:", &nb)
		return na - nb
	})
	return keys
}

// TestReadRangesMatchWholeFile: for every input and range size, every line is read
// once, with its number in the whole file, and the dead letters are those of the
// reference (and of reading the file whole).
func TestReadRangesMatchWholeFile(t *testing.T) {
	dir := t.TempDir()
	for i, tc := range rangeInputs {
		file := filepath.Join(dir, fmt.Sprintf("in%d.jsonl", i))
		if err := os.WriteFile(file, []byte(tc.in), 0o644); err != nil {
			t.Fatal(err)
		}
		wantLines, wantDead := referenceLines(tc.in, tc.max)
		for _, per := range rangeSizes {
			t.Run(fmt.Sprintf("%s/%d", tc.name, per), func(t *testing.T) {
				lines, dead, n := readByRanges(t, file, per, tc.max)
				if want := max(1, (len(tc.in)+int(per)-1)/int(per)); n != want {
					t.Errorf("%d ranges, want %d", n, want)
				}
				if got, want := fmt.Sprintf("%q", byNumber(lines)), fmt.Sprintf("%q", wantLines); got != want {
					t.Errorf("lines = %s\nwant    %s", got, want)
				}
				if got, want := fmt.Sprintf("%q", byNumber(dead)), fmt.Sprintf("%q", wantDead); got != want {
					t.Errorf("dead letters = %s, want %s", got, want)
				}
			})
		}
	}
}

func TestRanges(t *testing.T) {
	tests := []struct {
		size, per int64
		want      string
	}{
		{0, 7, "[0,0)/1"},
		{1, 7, "[0,1)/1"},
		{7, 7, "[0,7)/1"},
		{8, 7, "[0,7)/2 [7,8)/2"},
		{10, 3, "[0,3)/4 [3,6)/4 [6,9)/4 [9,10)/4"},
		{5, 0, "[0,5)/1"},
	}
	for _, tc := range tests {
		var got []string
		for i, r := range ranges("f", tc.size, tc.per) {
			if r.Index != i || r.File != "f" || r.Size != tc.size {
				t.Errorf("ranges(%d, %d)[%d] = %+v", tc.size, tc.per, i, r)
			}
			got = append(got, fmt.Sprintf("[%d,%d)/%d", r.Start, r.End, r.Ranges))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("ranges(%d, %d) = %v, want %s", tc.size, tc.per, got, tc.want)
		}
	}
}

// TestReadLinesRangesPipeline reads, through ReadLines on prism with 7-byte ranges, a
// local and a gs:// file of every kind of line: the lines and dead letters are those of
// the reference, and the files were read in many ranges.
func TestReadLinesRangesPipeline(t *testing.T) {
	defer func(old int64) { rangeBytes = old }(rangeBytes)
	rangeBytes = 7
	ctx := context.Background()
	in := "{\"id\": \"a\"}\r\n\n" + strings.Repeat("x", 40) + "\n{\"id\": \"é日本\"}\n\xff\xfe\n\n  \n{\"id\": \"last\"}"
	const max = 30
	tests := []struct {
		name string
		file string
	}{
		{"local", filepath.Join(t.TempDir(), "in.jsonl")},
		{"gcs", "gs://" + testBucket + "/ranges/in.jsonl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := blob.WriteAtomic(ctx, tc.file, []byte(in)); err != nil {
				t.Fatal(err)
			}
			wantLines, wantDead := referenceLines(in, max)
			p, s := beam.NewPipelineWithRoot()
			lines, dead := ReadLines(s, tc.file, max)
			passert.Equals(s, beam.ParDo(s, lineKey, lines), toAny(wantLines)...)
			passert.Equals(s, beam.ParDo(s, deadKey, dead), toAny(wantDead)...)
			res, err := ptest.RunWithMetrics(p)
			if err != nil {
				t.Fatal(err)
			}
			want := int64((len(in) + 6) / 7)
			for _, c := range res.Metrics().AllMetrics().Counters() {
				if c.Key.Name == CounterRanges && c.Result() != want {
					t.Errorf("%s = %d, want %d (one per 7 bytes)", CounterRanges, c.Result(), want)
				}
				if c.Key.Name == CounterRanges {
					want = -1
				}
			}
			if want != -1 {
				t.Errorf("no counter %s", CounterRanges)
			}
		})
	}
}

func toAny(keys []string) []any {
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = k
	}
	return out
}
