package annotations

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ETDecoder reads E.T. Instruct 164K's JSON list one element at a time with
// json.Decoder's Token API, so a 164K-element file is never held whole in
// memory. Create it with NewETDecoder and call Next until io.EOF.
type ETDecoder struct {
	dec     *json.Decoder
	file    string
	index   int
	started bool
	done    bool
	err     error
}

// NewETDecoder returns a decoder over r; file names the input in errors.
func NewETDecoder(r io.Reader, file string) *ETDecoder {
	return &ETDecoder{dec: json.NewDecoder(r), file: file}
}

// Next returns the next element's 0-based index and raw JSON. It returns
// io.EOF after the closing "]", ErrEmptyInput (wrapped) for an input with no
// JSON at all, and a *ParseError when the input is not a JSON list, is
// truncated, or has data after the list. After a non-EOF error the
// decoder cannot resynchronise: further calls return the same error.
// An element of the wrong JSON type (a number, a string) is returned as-is;
// ParseETElement rejects it, so one bad element does not stop the stream.
func (d *ETDecoder) Next() (int, json.RawMessage, error) {
	if d.done {
		return d.index, nil, d.finalErr()
	}
	if !d.started {
		d.started = true
		tok, err := d.dec.Token()
		if errors.Is(err, io.EOF) {
			return d.fail(fmt.Errorf("%s %s: %w", FormatETInstruct, d.file, ErrEmptyInput))
		}
		if err != nil {
			return d.fail(malformed(FormatETInstruct, ElementAt(d.file, 0), err, "read opening '['"))
		}
		if delim, ok := tok.(json.Delim); !ok || delim != '[' {
			return d.fail(malformed(FormatETInstruct, ElementAt(d.file, 0), nil, "input is not a JSON list (starts with %v)", tok))
		}
	}
	if d.dec.More() {
		var raw json.RawMessage
		if err := d.dec.Decode(&raw); err != nil {
			return d.fail(malformed(FormatETInstruct, ElementAt(d.file, d.index), err, "decode element"))
		}
		i := d.index
		d.index++
		return i, raw, nil
	}
	tok, err := d.dec.Token()
	if err != nil {
		return d.fail(malformed(FormatETInstruct, ElementAt(d.file, d.index), err, "read closing ']'"))
	}
	if delim, ok := tok.(json.Delim); !ok || delim != ']' {
		return d.fail(malformed(FormatETInstruct, ElementAt(d.file, d.index), nil, "unexpected %v in list", tok))
	}
	if _, err := d.dec.Token(); !errors.Is(err, io.EOF) {
		return d.fail(malformed(FormatETInstruct, ElementAt(d.file, d.index), err, "data after the closing ']'"))
	}
	d.done = true
	return d.index, nil, io.EOF
}

func (d *ETDecoder) fail(err error) (int, json.RawMessage, error) {
	// A truncated list must never look like the normal end of the stream.
	var pe *ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, io.EOF) {
		pe.Err = io.ErrUnexpectedEOF
	}
	d.done = true
	d.err = err
	return d.index, nil, err
}

func (d *ETDecoder) finalErr() error {
	if d.err != nil {
		return d.err
	}
	return io.EOF
}
