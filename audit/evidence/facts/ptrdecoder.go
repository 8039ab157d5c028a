package facts

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ptrDecoder walks a JSON document token by token, knowing where it is as
// a JSON pointer, so that an error names the place and the byte offset.
// Parsers decode only small sub-objects (one finding, one rule) whole.
type ptrDecoder struct {
	dec    *json.Decoder
	format string
}

// newPtrDecoder reads r, skipping a UTF-8 byte order mark (which
// detection tolerates, and some Windows tools write).
func newPtrDecoder(format string, r io.Reader) *ptrDecoder {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		br.Discard(3)
	}
	dec := json.NewDecoder(br)
	dec.UseNumber()
	return &ptrDecoder{dec: dec, format: format}
}

// fail wraps err as an [*Error] at a place, keeping the decoder's offset.
func (d *ptrDecoder) fail(at string, err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	off := d.dec.InputOffset()
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset > 0 {
		off = se.Offset
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		at = at + "/" + strings.ReplaceAll(te.Field, ".", "/")
	}
	return &Error{Format: d.format, At: at, Offset: off, Err: err}
}

// failf is fail with a message of its own.
func (d *ptrDecoder) failf(at, format string, args ...any) error {
	return &Error{Format: d.format, At: at, Offset: d.dec.InputOffset(), Err: fmt.Errorf(format, args...)}
}

func (d *ptrDecoder) token(at string) (json.Token, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return nil, d.fail(at, err)
	}
	return tok, nil
}

// open reads the start of an object or array; what names the value for
// the error message ("the findings array").
func (d *ptrDecoder) open(at string, want json.Delim, what string) error {
	tok, err := d.token(at)
	if err != nil {
		return err
	}
	if got, ok := tok.(json.Delim); !ok || got != want {
		return d.failf(at, "%s is %s, want %s", what, tokenKind(tok), delimKind(want))
	}
	return nil
}

// close reads the end of the object or array just walked; More returns
// false on a truncated file too, so the end must be read, not assumed.
func (d *ptrDecoder) close(at string) error {
	_, err := d.token(at)
	return err
}

// key reads the next object key.
func (d *ptrDecoder) key(at string) (string, error) {
	tok, err := d.token(at)
	if err != nil {
		return "", err
	}
	k, ok := tok.(string)
	if !ok {
		return "", d.failf(at, "want an object key, got %s", tokenKind(tok))
	}
	return k, nil
}

// decode decodes the next value whole; only for small sub-objects.
func (d *ptrDecoder) decode(at string, v any) error {
	if err := d.dec.Decode(v); err != nil {
		return d.fail(at, err)
	}
	return nil
}

func (d *ptrDecoder) skip(at string) error {
	if err := skipValue(d.dec); err != nil {
		return d.fail(at, err)
	}
	return nil
}

// end checks that nothing but white space follows the document.
func (d *ptrDecoder) end() error {
	if _, err := d.dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return d.fail("", err)
		}
		return d.failf("", "data after the end of the document")
	}
	return nil
}

// ptr appends a key or index to a JSON pointer (RFC 6901 escaping).
func ptr(at string, key any) string {
	switch k := key.(type) {
	case int:
		return at + "/" + strconv.Itoa(k)
	case string:
		return at + "/" + escapeKey(k)
	}
	panic(fmt.Sprintf("ptr: key of type %T", key))
}

// escapeKey escapes a key for a JSON pointer (RFC 6901): "~" as "~0",
// "/" as "~1". Every reader's pointers go through it.
func escapeKey(key string) string {
	if !strings.ContainsAny(key, "~/") {
		return key
	}
	return strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}

// tokenKind names the JSON type of a token, for messages of every reader.
func tokenKind(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		return delimKind(v)
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", tok)
}

func delimKind(d json.Delim) string {
	switch d {
	case '{', '}':
		return "an object"
	}
	return "an array"
}
