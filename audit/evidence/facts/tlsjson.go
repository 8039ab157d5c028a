package facts

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// tlsStream walks a JSON document token by token for the TLS parsers, so
// that a file of many servers, each with hundreds of rejected cipher
// suites, costs only the facts kept. Every failure becomes an [*Error]
// naming the JSON pointer reached and the byte offset.
type tlsStream struct {
	dec    *json.Decoder
	format string
}

func newTLSStream(format string, r io.Reader) *tlsStream {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	dec := json.NewDecoder(br)
	dec.UseNumber()
	return &tlsStream{dec: dec, format: format}
}

// fail wraps err with where the walk stopped. A document that ends early
// is io.ErrUnexpectedEOF, never a clean io.EOF.
func (s *tlsStream) fail(at string, err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	var fe *Error
	if errors.As(err, &fe) {
		return err
	}
	return &Error{Format: s.format, At: tlsPointer(at), Offset: s.dec.InputOffset(), Err: err}
}

func tlsPointer(at string) string {
	if at == "" {
		return "/"
	}
	return at
}

// object reads an object (or null) and calls fn for each key, which must
// consume the key's value.
func (s *tlsStream) object(at string, fn func(key, at string) error) error {
	tok, err := s.dec.Token()
	if err != nil {
		return s.fail(at, err)
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return s.fail(at, fmt.Errorf("expected an object, found %s", tokenKind(tok)))
	}
	for s.dec.More() {
		tok, err := s.dec.Token()
		if err != nil {
			return s.fail(at, err)
		}
		key, _ := tok.(string)
		if err := fn(key, at+"/"+escapeKey(key)); err != nil {
			return err
		}
	}
	if _, err := s.dec.Token(); err != nil {
		return s.fail(at, err)
	}
	return nil
}

// array reads an array (or null) and calls fn for each element, which must
// consume it.
func (s *tlsStream) array(at string, fn func(i int, at string) error) error {
	tok, err := s.dec.Token()
	if err != nil {
		return s.fail(at, err)
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return s.fail(at, fmt.Errorf("expected an array, found %s", tokenKind(tok)))
	}
	for i := 0; s.dec.More(); i++ {
		if err := fn(i, at+"/"+strconv.Itoa(i)); err != nil {
			return err
		}
	}
	if _, err := s.dec.Token(); err != nil {
		return s.fail(at, err)
	}
	return nil
}

// decode reads one small value into v.
func (s *tlsStream) decode(at string, v any) error {
	if err := s.dec.Decode(v); err != nil {
		return s.fail(at, err)
	}
	return nil
}

// skip reads past one value of any size.
func (s *tlsStream) skip(at string) error {
	if err := skipValue(s.dec); err != nil {
		return s.fail(at, err)
	}
	return nil
}

// scalar reads a string or a number as text; null reads as "".
func (s *tlsStream) scalar(at string) (string, error) {
	tok, err := s.dec.Token()
	if err != nil {
		return "", s.fail(at, err)
	}
	switch v := tok.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	}
	return "", s.fail(at, fmt.Errorf("expected a string or number, found %s", tokenKind(tok)))
}

// end checks that nothing but white space follows the document.
func (s *tlsStream) end() error {
	if _, err := s.dec.Token(); !errors.Is(err, io.EOF) {
		if err == nil {
			err = errors.New("data after the end of the document")
		}
		return s.fail("", err)
	}
	return nil
}
