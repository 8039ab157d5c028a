package schemadoc

import (
	"bytes"
	"encoding/json"
	"errors"
)

// ErrNotPlain is what a [JSONReader] returns for anything it does not take:
// a syntax error, a spelling the YAML path would read differently, a value
// of another type than the caller asked for. It means "use [Decode]", which
// reports whatever is wrong with its file, line and pointer.
var ErrNotPlain = errors.New("not plain JSON: use the general decoder")

// JSONReader reads a plain JSON document piece by piece, for callers that
// decode a large document of a known shape straight into their own types
// and check its schema in code, skipping the generic values, the line map
// and the schema validator that [Decode] builds. It takes only what the
// fast path of [Parse] takes (so values are exactly those [Parse] gives)
// and is stricter where that is simpler: every method returns [ErrNotPlain]
// for anything else, and the caller then falls back to [Decode].
//
// Callers check duplicate keys of the objects they read with [Object]
// themselves; [Value] refuses them as [Parse] does.
type JSONReader struct {
	data  []byte
	off   int
	depth int // containers open around the next value
}

// NewJSONReader returns a reader for data, or false when data is not a
// plain JSON object or array that the fast path of [Parse] would take
// (too large, not valid printable UTF-8, a surrogate escape).
func NewJSONReader(data []byte) (*JSONReader, bool) {
	if len(data) > MaxSize {
		return nil, false
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := &JSONReader{data: data}
	r.space()
	if r.off == len(data) || (data[r.off] != '{' && data[r.off] != '[') || !printable(data) || surrogateEscape(data) {
		return nil, false
	}
	return r, true
}

// Next returns the first byte of the next value: '{', '[', '"', 't', 'f',
// 'n', or the first byte of a number; 0 at the end of the input.
func (r *JSONReader) Next() byte {
	r.space()
	if r.off == len(r.data) {
		return 0
	}
	return r.data[r.off]
}

// Finish checks that nothing but white space follows the document.
func (r *JSONReader) Finish() error {
	r.space()
	if r.off != len(r.data) || r.depth != 0 {
		return ErrNotPlain
	}
	return nil
}

func (r *JSONReader) space() {
	for r.off < len(r.data) {
		switch r.data[r.off] {
		case ' ', '\t', '\r', '\n':
			r.off++
		default:
			return
		}
	}
}

// expect consumes c after white space.
func (r *JSONReader) expect(c byte) bool {
	r.space()
	if r.off < len(r.data) && r.data[r.off] == c {
		r.off++
		return true
	}
	return false
}

// enter starts a value: it refuses one nested deeper than [Parse] allows.
func (r *JSONReader) enter() error {
	if r.depth > maxDepth {
		return ErrNotPlain
	}
	return nil
}

// Object reads an object, calling member for each key; member must read
// the key's value with one of the reader's methods.
func (r *JSONReader) Object(member func(key string) error) error {
	if err := r.enter(); err != nil {
		return err
	}
	if !r.expect('{') {
		return ErrNotPlain
	}
	r.depth++
	if !r.expect('}') {
		for {
			key, err := r.key()
			if err != nil {
				return err
			}
			if err := member(key); err != nil {
				return err
			}
			if r.expect('}') {
				break
			}
			if !r.expect(',') {
				return ErrNotPlain
			}
		}
	}
	r.depth--
	return nil
}

// key reads a member's key and its colon. Like the fast path of [Parse], it
// refuses what YAML cannot take as an implicit key: a key longer than about
// a thousand bytes, or one split from its colon by a line break.
func (r *JSONReader) key() (string, error) {
	r.space()
	start := r.off
	k, err := r.str()
	if err != nil {
		return "", err
	}
	if r.off-start > 1000 || k == "<<" {
		return "", ErrNotPlain
	}
	for r.off < len(r.data) {
		switch r.data[r.off] {
		case ' ', '\t':
			r.off++
			continue
		case ':':
			r.off++
			return k, nil
		}
		break
	}
	return "", ErrNotPlain
}

// Array reads an array, calling elem for each element; elem must read the
// element with one of the reader's methods.
func (r *JSONReader) Array(elem func() error) error {
	if err := r.enter(); err != nil {
		return err
	}
	if !r.expect('[') {
		return ErrNotPlain
	}
	r.depth++
	if !r.expect(']') {
		for {
			if err := elem(); err != nil {
				return err
			}
			if r.expect(']') {
				break
			}
			if !r.expect(',') {
				return ErrNotPlain
			}
		}
	}
	r.depth--
	return nil
}

// String reads a string.
func (r *JSONReader) String() (string, error) {
	if err := r.enter(); err != nil {
		return "", err
	}
	r.space()
	return r.str()
}

func (r *JSONReader) str() (string, error) {
	d := r.data
	if r.off >= len(d) || d[r.off] != '"' {
		return "", ErrNotPlain
	}
	start := r.off
	escaped := false
	for i := start + 1; i < len(d); i++ {
		switch c := d[i]; {
		case c == '"':
			r.off = i + 1
			if !escaped {
				return string(d[start+1 : i]), nil
			}
			var s string
			if err := json.Unmarshal(d[start:r.off], &s); err != nil {
				return "", ErrNotPlain
			}
			return s, nil
		case c == '\\':
			escaped = true
			i++ // the escaped byte; json.Unmarshal checks the escape
		case c < 0x20:
			return "", ErrNotPlain
		}
	}
	return "", ErrNotPlain
}

// Int reads an integer written without fraction or exponent that fits in
// an int64.
func (r *JSONReader) Int() (int64, error) {
	if err := r.enter(); err != nil {
		return 0, err
	}
	r.space()
	start := r.off
	lit, err := r.number()
	if err != nil {
		return 0, err
	}
	var n int64
	neg := lit[0] == '-'
	digits := lit
	if neg {
		digits = lit[1:]
	}
	if len(digits) > 18 {
		r.off = start
		return 0, ErrNotPlain
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			r.off = start
			return 0, ErrNotPlain
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}

// number scans a number as JSON's grammar spells it.
func (r *JSONReader) number() ([]byte, error) {
	d, i := r.data, r.off
	digits := func() int {
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		return i - j
	}
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case digits() == 0:
		return nil, ErrNotPlain
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			return nil, ErrNotPlain
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			return nil, ErrNotPlain
		}
	}
	lit := d[r.off:i]
	r.off = i
	return lit, nil
}

// Value reads any value as [Parse] gives it: map[string]any, []any, string,
// json.Number (normalised as Parse does), bool or nil.
func (r *JSONReader) Value() (any, error) {
	switch r.Next() {
	case '{':
		m := map[string]any{}
		err := r.Object(func(k string) error {
			if _, dup := m[k]; dup {
				return ErrNotPlain
			}
			v, err := r.Value()
			m[k] = v
			return err
		})
		return m, err
	case '[':
		s := []any{}
		err := r.Array(func() error {
			v, err := r.Value()
			s = append(s, v)
			return err
		})
		return s, err
	case '"':
		return r.String()
	case 't':
		return true, r.literal("true")
	case 'f':
		return false, r.literal("false")
	case 'n':
		return nil, r.literal("null")
	}
	if err := r.enter(); err != nil {
		return nil, err
	}
	lit, err := r.number()
	if err != nil {
		return nil, err
	}
	v, err := number(string(lit))
	if err != nil {
		return nil, ErrNotPlain
	}
	return v, nil
}

func (r *JSONReader) literal(word string) error {
	if err := r.enter(); err != nil {
		return err
	}
	if !bytes.HasPrefix(r.data[r.off:], []byte(word)) {
		return ErrNotPlain
	}
	r.off += len(word)
	return nil
}
