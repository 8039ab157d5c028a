package schemadoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// parseJSON reads a document that starts like JSON strictly as JSON
// (RFC 8259): a document whose first byte is "{" or "[" is meant as JSON,
// and reading a broken one again as YAML reported schema errors for what is
// a syntax error, or even accepted it. It gives the values the YAML path
// gives for the same JSON (numbers normalised alike, every value's line by
// pointer) and refuses, with line and column, what JSON refuses, a key that
// appears twice, nesting deeper than maxDepth, a number out of range, a
// lone surrogate escape, and anything but white space after the value.
//
// It is hand-written, not built on encoding/json's Decoder.Token: that
// grew superlinear at millions of tokens, and it cannot say where a
// string's escape is wrong.
//
// lines, when not nil, receives the line of every value by pointer;
// building the pointers is most of the cost of a large document, so
// [parse] reads without them and again with them only when asked.
//
// respelt reports a number whose value is written differently from how it
// was read (1.50, 1e3, -0): encoding/json reading the document's own bytes
// would then give another json.Number, or refuse 1e3 for an int field.
func parseJSON(data []byte, maxDepth int, lines lineMap) (v any, respelt bool, perr *Problem) {
	p := &jsonParser{data: data, maxDepth: maxDepth, line: 1, lines: lines}
	p.space()
	v, perr = p.value("", 0)
	if perr != nil {
		return nil, false, perr
	}
	p.space()
	if p.off < len(p.data) {
		return nil, false, p.fail("unexpected %s after the end of the JSON document (a file holds one document)", p.what())
	}
	return v, p.respelt, nil
}

// looksJSON reports whether data starts like a JSON object or array.
func looksJSON(data []byte) bool {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	return len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[')
}

type jsonParser struct {
	data      []byte
	off       int
	maxDepth  int
	line      int     // of data[off]
	lineStart int     // offset of the first byte of line
	lines     lineMap // nil: not recorded
	respelt   bool    // a number is spelt otherwise than its value
}

// fail is a problem at the current offset, its column counted in
// characters.
func (p *jsonParser) fail(format string, args ...any) *Problem {
	col := utf8.RuneCount(p.data[p.lineStart:min(p.off, len(p.data))]) + 1
	return &Problem{Line: p.line, Message: fmt.Sprintf("JSON syntax error at column %d: ", col) + fmt.Sprintf(format, args...)}
}

// what names the byte at the offset for a message.
func (p *jsonParser) what() string {
	if p.off >= len(p.data) {
		return "end of document"
	}
	r, _ := utf8.DecodeRune(p.data[p.off:])
	return strconv.QuoteRune(r)
}

func (p *jsonParser) space() {
	for p.off < len(p.data) {
		switch p.data[p.off] {
		case '\n':
			p.off++
			p.line, p.lineStart = p.line+1, p.off
		case ' ', '\t', '\r':
			p.off++
		default:
			return
		}
	}
}

// expect consumes c after white space.
func (p *jsonParser) expect(c byte) bool {
	p.space()
	if p.off < len(p.data) && p.data[p.off] == c {
		p.off++
		return true
	}
	return false
}

func (p *jsonParser) value(ptr string, depth int) (any, *Problem) {
	p.space()
	if p.lines != nil {
		p.lines[ptr] = p.line
	}
	if p.off >= len(p.data) {
		return nil, p.fail("unexpected end of document, expected a value")
	}
	switch c := p.data[p.off]; {
	case c == '{':
		return p.object(ptr, depth)
	case c == '[':
		return p.array(ptr, depth)
	case c == '"':
		return p.str()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return nil, p.fail("unexpected %s, expected a value", p.what())
}

// member and elem are the pointers of a member and an element of ptr,
// when lines are recorded.
func (p *jsonParser) member(ptr, key string) string {
	if p.lines == nil {
		return ""
	}
	return ptr + "/" + escape(key)
}

func (p *jsonParser) elem(ptr string, i int) string {
	if p.lines == nil {
		return ""
	}
	return ptr + "/" + strconv.Itoa(i)
}

func (p *jsonParser) object(ptr string, depth int) (any, *Problem) {
	if depth > p.maxDepth {
		return nil, p.fail("nesting is too deep (more than %d levels)", p.maxDepth)
	}
	p.off++
	m := map[string]any{}
	if p.expect('}') {
		return m, nil
	}
	for {
		p.space()
		if p.off >= len(p.data) || p.data[p.off] != '"' {
			return nil, p.fail("unexpected %s, expected a key in quotes", p.what())
		}
		keyLine := p.line
		k, perr := p.str()
		if perr != nil {
			return nil, perr
		}
		if _, dup := m[k]; dup {
			return nil, &Problem{Line: keyLine, Pointer: ptr, Message: fmt.Sprintf("key %q appears twice", k)}
		}
		if !p.expect(':') {
			return nil, p.fail("unexpected %s, expected ':' after the key", p.what())
		}
		v, perr := p.value(p.member(ptr, k), depth+1)
		if perr != nil {
			return nil, perr
		}
		m[k] = v
		if p.expect('}') {
			return m, nil
		}
		if !p.expect(',') {
			return nil, p.fail("unexpected %s, expected ',' or '}'", p.what())
		}
	}
}

func (p *jsonParser) array(ptr string, depth int) (any, *Problem) {
	if depth > p.maxDepth {
		return nil, p.fail("nesting is too deep (more than %d levels)", p.maxDepth)
	}
	p.off++
	s := []any{}
	if p.expect(']') {
		return s, nil
	}
	for i := 0; ; i++ {
		v, perr := p.value(p.elem(ptr, i), depth+1)
		if perr != nil {
			return nil, perr
		}
		s = append(s, v)
		if p.expect(']') {
			return s, nil
		}
		if !p.expect(',') {
			return nil, p.fail("unexpected %s, expected ',' or ']'", p.what())
		}
	}
}

func (p *jsonParser) literal(word string) *Problem {
	if !bytes.HasPrefix(p.data[p.off:], []byte(word)) {
		return p.fail("unexpected %s, expected a value", p.what())
	}
	p.off += len(word)
	return nil
}

// str reads a string at the offset, decoding its escapes: a surrogate
// pair (as Python's json.dumps writes characters beyond the BMP) is one
// character, a lone surrogate an error.
func (p *jsonParser) str() (string, *Problem) {
	d := p.data
	start := p.off + 1
	i := start
	for i < len(d) && d[i] != '"' && d[i] != '\\' && d[i] >= 0x20 {
		i++
	}
	if i < len(d) && d[i] == '"' {
		p.off = i + 1
		return string(d[start:i]), nil
	}
	var b strings.Builder
	b.Write(d[start:i])
	for {
		p.off = i
		if i >= len(d) {
			return "", p.fail("unexpected end of document inside a string")
		}
		switch c := d[i]; {
		case c == '"':
			p.off = i + 1
			return b.String(), nil
		case c < 0x20:
			return "", p.fail("control character %s inside a string (write it as an escape)", p.what())
		case c != '\\':
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(d) {
			p.off = i + 1
			return "", p.fail("unexpected end of document inside a string")
		}
		if r, ok := simpleEscape[d[i+1]]; ok {
			b.WriteByte(r)
			i += 2
			continue
		}
		if d[i+1] != 'u' {
			return "", p.fail("invalid escape \\%c in a string", d[i+1])
		}
		r, ok := hex4(d[i+2:])
		if !ok {
			return "", p.fail("invalid \\u escape in a string (four hexadecimal digits expected)")
		}
		n := 6
		if utf16.IsSurrogate(r) {
			r2, ok2 := rune(0), false
			if r < 0xdc00 && bytes.HasPrefix(d[i+6:], []byte(`\u`)) {
				r2, ok2 = hex4(d[i+8:])
			}
			pair := utf16.DecodeRune(r, r2)
			if !ok2 || pair == utf8.RuneError {
				return "", p.fail("lone surrogate escape \\u%04x in a string (a character beyond U+FFFF is written as a pair of escapes)", r)
			}
			r, n = pair, 12
		}
		b.WriteRune(r)
		i += n
	}
}

var simpleEscape = map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// hex4 decodes four hexadecimal digits at the start of d.
func hex4(d []byte) (rune, bool) {
	if len(d) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range d[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// number reads a number as JSON's grammar spells it.
func (p *jsonParser) number() (any, *Problem) {
	d, i := p.data, p.off
	digits := func() int {
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		return i - j
	}
	bad := func() (any, *Problem) {
		p.off = i
		return nil, p.fail("malformed number")
	}
	if d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case digits() == 0:
		return bad()
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			return bad()
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			return bad()
		}
	}
	lit := string(d[p.off:i])
	v, err := number(lit)
	if err != nil {
		return nil, p.fail("%s is not a finite number", lit)
	}
	if string(v.(json.Number)) != lit {
		p.respelt = true
	}
	p.off = i
	return v, nil
}

// errNotFinite is a number that float64 cannot hold.
var errNotFinite = errors.New("not a finite number")

// number normalises a number the way the YAML path does: integers that fit
// in int64 as themselves, everything else through float64.
func number(s string) (any, error) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return json.Number(strconv.FormatInt(i, 10)), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, errNotFinite
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
}
