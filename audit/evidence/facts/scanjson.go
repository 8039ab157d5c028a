package facts

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// jsonWalk streams a JSON document for the vulnerability scanners'
// parsers (Trivy, Grype): it enters objects and arrays token by token and
// decodes only small elements whole (one finding at a time), so memory
// follows the largest element, never the file. It keeps the JSON pointer
// of where it is, for facts and for errors.
type jsonWalk struct {
	dec    *json.Decoder
	format string
	path   []string
}

func newJSONWalk(r io.Reader, format string) *jsonWalk {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return &jsonWalk{dec: dec, format: format}
}

// pointer is the RFC 6901 pointer of the value being read.
func (w *jsonWalk) pointer(more ...string) string {
	var b strings.Builder
	for _, p := range append(w.path, more...) {
		b.WriteByte('/')
		b.WriteString(escapeKey(p))
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// fail wraps err as an *Error at the current pointer; an end of input
// inside the document reads as a truncated file.
func (w *jsonWalk) fail(err error) error {
	var fe *Error
	if errors.As(err, &fe) {
		return err
	}
	off := w.dec.InputOffset()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("the file ends inside the document: %w", io.ErrUnexpectedEOF)
	}
	return &Error{Format: w.format, At: w.pointer(), Offset: off, Err: err}
}

func (w *jsonWalk) token() (json.Token, error) {
	tok, err := w.dec.Token()
	if err != nil {
		return nil, w.fail(err)
	}
	return tok, nil
}

// object reads an object, calling each for every key with the decoder at
// its value, which each must consume (or skip). A null is an empty object.
func (w *jsonWalk) object(each func(key string) error) error {
	tok, err := w.token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return w.fail(fmt.Errorf("want an object, found %s", tokenKind(tok)))
	}
	for w.dec.More() {
		tok, err := w.token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		w.path = append(w.path, key)
		err = each(key)
		w.path = w.path[:len(w.path)-1]
		if err != nil {
			return err
		}
	}
	_, err = w.token()
	return err
}

// array reads an array, calling each for every element, which each must
// consume. A null is an empty array: tools omit or null empty lists.
func (w *jsonWalk) array(each func(i int) error) error {
	tok, err := w.token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return w.fail(fmt.Errorf("want an array, found %s", tokenKind(tok)))
	}
	for i := 0; w.dec.More(); i++ {
		w.path = append(w.path, strconv.Itoa(i))
		err := each(i)
		w.path = w.path[:len(w.path)-1]
		if err != nil {
			return err
		}
	}
	_, err = w.token()
	return err
}

// str reads a string; a null is "".
func (w *jsonWalk) str() (string, error) {
	tok, err := w.token()
	if err != nil {
		return "", err
	}
	switch v := tok.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	}
	return "", w.fail(fmt.Errorf("want a string, found %s", tokenKind(tok)))
}

// strs reads an array of strings.
func (w *jsonWalk) strs() ([]string, error) {
	var out []string
	err := w.array(func(int) error {
		s, err := w.str()
		out = append(out, s)
		return err
	})
	return out, err
}

// decode decodes one small value whole (a finding), at the current pointer.
func (w *jsonWalk) decode(v any) error {
	if err := w.dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			err = fmt.Errorf("%s is %s, want %s", te.Field, te.Value, te.Type)
		}
		return w.fail(err)
	}
	return nil
}

// skip passes over a value. An array or object is entered and its
// elements skipped one by one, so that a long list of packages never
// sits in memory at once.
func (w *jsonWalk) skip() error {
	tok, err := w.token()
	if err != nil {
		return err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	for w.dec.More() {
		if d == '{' {
			if _, err := w.token(); err != nil {
				return err
			}
		}
		if err := w.decode(&skipped{}); err != nil {
			return err
		}
	}
	_, err = w.token()
	return err
}

// end checks that nothing but white space follows the document.
func (w *jsonWalk) end() error {
	if _, err := w.dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return w.fail(err)
		}
		return w.fail(errors.New("data follows the end of the JSON document"))
	}
	return nil
}

// skipped takes any JSON value and keeps nothing of it.
type skipped struct{}

func (*skipped) UnmarshalJSON([]byte) error { return nil }

// utcDate turns a tool's RFC 3339 timestamp (any offset, any fraction)
// into the vocabulary's form: RFC 3339 in UTC, to the second.
func utcDate(s string) (string, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return "", fmt.Errorf("%q is not an RFC 3339 time", s)
	}
	return t.UTC().Format(time.RFC3339), nil
}

// severityCounts counts open findings by the tool's own severity.
// Severities outside critical, high, medium and low (unknown, negligible)
// count as open findings of no severity: never dropped, never promoted.
type severityCounts struct {
	all, critical, high, medium, low int
}

func (c *severityCounts) add(severity string) {
	c.all++
	switch strings.ToLower(severity) {
	case "critical":
		c.critical++
	case "high":
		c.high++
	case "medium":
		c.medium++
	case "low":
		c.low++
	}
}

// facts are the counts as facts, all read from the array at.
func (c *severityCounts) facts(target, at string) []Fact {
	return []Fact{
		{Name: "scan.findings_open", Value: c.all, At: at, Target: target},
		{Name: "scan.critical_open", Value: c.critical, At: at, Target: target},
		{Name: "scan.high_open", Value: c.high, At: at, Target: target},
		{Name: "scan.medium_open", Value: c.medium, At: at, Target: target},
		{Name: "scan.low_open", Value: c.low, At: at, Target: target},
	}
}

// idSet collects distinct strings.
type idSet map[string]struct{}

func (s idSet) add(id string) {
	if id != "" {
		s[id] = struct{}{}
	}
}

func (s idSet) list() []string {
	out := make([]string, 0, len(s))
	for id := range s {
		out = append(out, id)
	}
	return SortedList(out)
}
