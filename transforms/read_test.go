package transforms

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
	"google.golang.org/api/googleapi"
)

// scanned is what scanLines reported: "n:text" for a line, "n:long:size" for a long one.
func scanAll(t *testing.T, in string, max int) []string {
	t.Helper()
	var got []string
	_, err := scanLines(strings.NewReader(in), max, func(n int64, text string) {
		got = append(got, fmt.Sprintf("%d:%s", n, text))
	}, func(n, size int64) {
		got = append(got, fmt.Sprintf("%d:long:%d", n, size))
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestScanLines(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want []string
	}{
		{"plain", "a\nb\n", 10, []string{"1:a", "2:b"}},
		{"no final newline", "a\nb", 10, []string{"1:a", "2:b"}},
		{"blank lines numbered, skipped", "a\n\n  \r\nb\n", 10, []string{"1:a", "4:b"}},
		{"crlf", "a\r\nb\r\n", 10, []string{"1:a", "2:b"}},
		{"exactly max", "12345\n", 5, []string{"1:12345"}},
		{"exactly max crlf", "12345\r\n", 5, []string{"1:12345"}},
		{"max+1", "123456\nok\n", 5, []string{"1:long:6", "2:ok"}},
		{"long last line", "ok\n" + strings.Repeat("x", 100), 5, []string{"1:ok", "2:long:100"}},
		{"long line numbers the rest exactly", "a\n" + strings.Repeat("y", 300) + "\n\nb\n" + strings.Repeat("z", 40) + "\nc", 16,
			[]string{"1:a", "2:long:300", "4:b", "5:long:40", "6:c"}},
		{"empty", "", 5, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := scanAll(t, tc.in, tc.max)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("scanLines(%.40q, %d) = %v, want %v", tc.in, tc.max, got, tc.want)
			}
		})
	}
}

// repeatReader yields n bytes of b without holding them.
type repeatReader struct {
	b byte
	n int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), r.n)
	for i := range p[:k] {
		p[i] = r.b
	}
	r.n -= k
	return int(k), nil
}

// TestScanLinesBoundedMemory reads a 50 MB line with a 1 MiB cap: it is skipped, not held
// (the old reader allocated several times its size, and failed past 64 MiB).
func TestScanLinesBoundedMemory(t *testing.T) {
	const long = 50 << 20
	in := io.MultiReader(strings.NewReader("first\n"), &repeatReader{b: 'x', n: long}, strings.NewReader("\nlast\n"))
	var got []string
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := scanLines(in, 1<<20, func(n int64, text string) {
		got = append(got, fmt.Sprintf("%d:%s", n, text))
	}, func(n, size int64) {
		got = append(got, fmt.Sprintf("%d:long:%d", n, size))
	})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprint([]string{"1:first", fmt.Sprintf("2:long:%d", long), "3:last"}); fmt.Sprint(got) != want {
		t.Errorf("lines = %v, want %v", got, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("reading a %d-byte line with a 1 MiB cap allocated %d bytes, want under 8 MiB", long, alloc)
	}
}

// readJob reads input with ReadLines and writes its lines as data and its dead letters,
// with a manifest whose read count holds both.
func readJob(input, prefix string, maxLineBytes int) *beam.Pipeline {
	p, s := beam.NewPipelineWithRoot()
	lines, dead := ReadLines(s, input, maxLineBytes)
	data := WriteJSONL(s, Sink{Prefix: prefix, Output: layout.DataOutput, Name: "rows", Shards: 2}, beam.ParDo(s, lineText, lines))
	dl := WriteDeadLetters(s, prefix, 1, dead)
	WriteManifest(s, Job{Name: "test", Version: "t", Prefix: prefix, MaxLineBytes: maxLineBytes}, Accounts{
		Tallies: []beam.PCollection{Tally(s, layout.CountRead, lines), Tally(s, layout.CountRead, dead)},
		Shards:  []beam.PCollection{data, dl},
	})
	return p
}

// outputRows reads the manifest under prefix and the rows of its shards of one output.
func outputRows(t *testing.T, prefix, output string) (layout.Manifest, []string) {
	t.Helper()
	ctx := context.Background()
	b, err := blob.ReadFile(ctx, blob.Join(prefix, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m layout.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, sh := range m.Shards {
		if sh.Output != output {
			continue
		}
		b, err := blob.ReadFile(ctx, blob.Join(prefix, sh.Path))
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(b) {
			t.Errorf("shard %s is not valid UTF-8", sh.Path)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 8<<20)
		for sc.Scan() {
			rows = append(rows, sc.Text())
		}
	}
	return m, rows
}

// TestReadLinesDeadLetters: a 2 MB line under --max-line-bytes 1048576 and a line of
// invalid UTF-8 among good rows become dead letters with their file and line; the good
// rows are written and read = written + dead_lettered.
func TestReadLinesDeadLetters(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	input := strings.Join([]string{
		`{"id": "a"}`,
		`{"id": "long", "text": "` + strings.Repeat("x", 2<<20) + `"}`,
		`{"id": "b"}`,
		"{\"id\": \"bad\xff\xfe utf8\"}",
		``,
		`{"id": "c", "text": "ünïcödé ok"}`,
	}, "\n") + "\n"
	if err := os.WriteFile(in, []byte(input), 0o644); err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(dir, "out")
	if err := ptest.Run(readJob(in, prefix, 1<<20)); err != nil {
		t.Fatal(err)
	}
	m, data := outputRows(t, prefix, layout.DataOutput)
	want := map[string]int64{"read": 5, "written": 3, "filtered": 0, "dead_lettered": 2}
	for k, v := range want {
		if m.Counts[k] != v {
			t.Errorf("counts[%s] = %d, want %d (counts %v)", k, m.Counts[k], v, m.Counts)
		}
	}
	if len(data) != 3 {
		t.Errorf("data rows = %d, want 3 (a, b, c)", len(data))
	}
	_, dead := outputRows(t, prefix, layout.DeadLetterOutput)
	reasons := map[int64]layout.DeadLetter{}
	for _, row := range dead {
		var d layout.DeadLetter
		if err := json.Unmarshal([]byte(row), &d); err != nil {
			t.Fatal(err)
		}
		reasons[d.Line] = d
	}
	for line, reason := range map[int64]string{2: ReasonLineTooLong, 4: ReasonInvalidUTF8} {
		d, ok := reasons[line]
		if !ok || d.Reason != reason || d.File != in || d.Stage != StageRead {
			t.Errorf("dead letter of line %d = %+v, want reason %s, file %s, stage read", line, d, reason, in)
		}
	}
	if d := reasons[4]; !strings.Contains(d.Record, "bad\uFFFD utf8") {
		t.Errorf("invalid UTF-8 record = %q, want the bad bytes replaced by one U+FFFD", d.Record)
	}
}

// TestReadLinesUnreadableFile: a gs:// object that was listed but is gone is one dead
// letter; the other files are still read.
func TestReadLinesUnreadableFile(t *testing.T) {
	ctx := context.Background()
	good := "gs://" + testBucket + "/unreadable/good.jsonl"
	if err := blob.WriteAtomic(ctx, good, []byte("{\"id\": \"a\"}\n{\"id\": \"b\"}\n")); err != nil {
		t.Fatal(err)
	}
	missing := "gs://" + testBucket + "/unreadable/gone.jsonl"
	prefix := filepath.Join(t.TempDir(), "out")
	defer func(old int64) { rangeBytes = old }(rangeBytes)
	rangeBytes = 5 // good.jsonl is read in several ranges, gone.jsonl cannot be split
	p, s := beam.NewPipelineWithRoot()
	lines, dead := readFiles(s, beam.Create(s, good, missing), 0)
	data := WriteJSONL(s, Sink{Prefix: prefix, Output: layout.DataOutput, Name: "rows", Shards: 1}, beam.ParDo(s, lineText, lines))
	dl := WriteDeadLetters(s, prefix, 1, dead)
	WriteManifest(s, Job{Name: "test", Version: "t", Prefix: prefix}, Accounts{
		Tallies: []beam.PCollection{Tally(s, layout.CountRead, lines), Tally(s, layout.CountRead, dead)},
		Shards:  []beam.PCollection{data, dl},
	})
	if err := ptest.Run(p); err != nil {
		t.Fatalf("a missing gs:// object failed the job: %v", err)
	}
	m, rows := outputRows(t, prefix, layout.DeadLetterOutput)
	if m.Counts["written"] != 2 || m.Counts["dead_lettered"] != 1 || m.Counts["read"] != 3 {
		t.Errorf("counts = %v, want read 3, written 2, dead_lettered 1", m.Counts)
	}
	var d layout.DeadLetter
	if len(rows) == 1 {
		_ = json.Unmarshal([]byte(rows[0]), &d)
	}
	if d.File != missing || !strings.HasPrefix(d.Reason, ReasonUnreadable+": ") {
		t.Errorf("dead letters = %v, want one for %s with reason %s: ...", rows, missing, ReasonUnreadable)
	}
}

func TestUnreadable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("open x: %w", os.ErrNotExist), true},
		{fmt.Errorf("open x: %w", os.ErrPermission), true},
		{fmt.Errorf("open x: %w", &googleapi.Error{Code: http.StatusForbidden}), true},
		{fmt.Errorf("open x: %w", &googleapi.Error{Code: http.StatusUnauthorized}), true},
		{fmt.Errorf("open x: %w", &googleapi.Error{Code: http.StatusServiceUnavailable}), false},
		{fmt.Errorf("open x: %w", context.DeadlineExceeded), false},
	}
	for _, tc := range tests {
		if got := unreadable(tc.err); got != tc.want {
			t.Errorf("unreadable(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
