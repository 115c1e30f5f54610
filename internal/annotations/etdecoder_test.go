package annotations

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestETDecoder(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantRaws []string
		wantErr  error // final error: io.EOF, ErrEmptyInput or ErrMalformed
	}{
		{name: "two elements", in: ` [ {"a":1}, {"b":[2,3]} ] `, wantRaws: []string{`{"a":1}`, `{"b":[2,3]}`}, wantErr: io.EOF},
		{name: "empty list", in: `[]`, wantErr: io.EOF},
		{name: "wrong-typed elements pass through", in: `[1,"x",{}]`, wantRaws: []string{`1`, `"x"`, `{}`}, wantErr: io.EOF},
		{name: "empty input", in: ``, wantErr: ErrEmptyInput},
		{name: "whitespace only", in: " \n\t", wantErr: ErrEmptyInput},
		{name: "object instead of list", in: `{"task":"tvg"}`, wantErr: ErrMalformed},
		{name: "truncated after element", in: `[{"a":1},`, wantRaws: []string{`{"a":1}`}, wantErr: ErrMalformed},
		{name: "truncated inside element", in: `[{"a":`, wantErr: ErrMalformed},
		{name: "missing closing bracket", in: `[{"a":1}`, wantRaws: []string{`{"a":1}`}, wantErr: ErrMalformed},
		{name: "data after the list", in: `[{"a":1}] [2]`, wantRaws: []string{`{"a":1}`}, wantErr: ErrMalformed},
		{name: "garbage after the list", in: `[] x`, wantErr: ErrMalformed},
		{name: "syntax error", in: `[{"a":1} {"b":2}]`, wantRaws: []string{`{"a":1}`}, wantErr: ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := NewETDecoder(strings.NewReader(tc.in), "et.json")
			var got []string
			var err error
			for {
				var i int
				var raw []byte
				i, raw, err = d.Next()
				if err != nil {
					break
				}
				if i != len(got) {
					t.Errorf("index %d, want %d", i, len(got))
				}
				got = append(got, string(raw))
			}
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("final error = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr != io.EOF && errors.Is(err, io.EOF) {
				t.Errorf("error %v must not look like a clean end (io.EOF)", err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.wantRaws) {
				t.Errorf("elements = %q, want %q", got, tc.wantRaws)
			}
			if _, _, again := d.Next(); !errors.Is(again, tc.wantErr) {
				t.Errorf("second call after the end returned %v", again)
			}
		})
	}
}

// countingReader counts how many bytes have been read, to show the decoder
// streams instead of reading the whole input first.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	if len(p) > 512 {
		p = p[:512]
	}
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestETDecoderStreams(t *testing.T) {
	const elems = 20000
	var b strings.Builder
	b.WriteString("[")
	for i := range elems {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"task":"tvg","video":"v%d.mp4","tgt":[1,2]}`, i)
	}
	b.WriteString("]")
	total := b.Len()
	cr := &countingReader{r: strings.NewReader(b.String())}
	d := NewETDecoder(cr, "big.json")
	if _, _, err := d.Next(); err != nil {
		t.Fatal(err)
	}
	if cr.n > total/10 {
		t.Errorf("read %d of %d bytes to decode the first element; want streaming", cr.n, total)
	}
	n := 1
	for {
		_, _, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != elems {
		t.Errorf("decoded %d elements, want %d", n, elems)
	}
}
