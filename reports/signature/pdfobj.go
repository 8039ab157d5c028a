package signature

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strconv"
)

// This file is a small reader for PDF objects (ISO 32000-1, 7.2 and 7.3):
// enough to read the catalog, the pages and the signature dictionary of a
// report, and nothing more. Every value remembers where it sits in the file,
// so the verifier can compare /ByteRange with the real position of /Contents.

type pdfKind int

const (
	pdfNull pdfKind = iota
	pdfBool
	pdfInt
	pdfReal
	pdfName
	pdfString
	pdfArray
	pdfDict
	pdfRef
)

// maxPDFDepth bounds nesting of arrays and dictionaries in hostile input.
const maxPDFDepth = 32

// pdfValue is one parsed object. start and end delimit it in the source.
type pdfValue struct {
	kind       pdfKind
	start, end int
	num        int64  // pdfInt, pdfBool (0/1), pdfRef (object number)
	name       string // pdfName, raw with the slash, escapes kept
	str        []byte // pdfString, decoded
	hexStr     bool
	items      []pdfValue // pdfArray
	keys       []string   // pdfDict, raw names in file order
	vals       []pdfValue // pdfDict
}

// get returns the value of key in a dictionary.
func (v pdfValue) get(key string) (pdfValue, bool) {
	for i, k := range v.keys {
		if k == key {
			return v.vals[i], true
		}
	}
	return pdfValue{}, false
}

func (v pdfValue) isName(n string) bool { return v.kind == pdfName && v.name == n }

// pdfLexer reads objects from b starting at pos.
type pdfLexer struct {
	b   []byte
	pos int
}

func isPDFSpace(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func isPDFDelim(c byte) bool {
	return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0
}

func (l *pdfLexer) errorf(format string, args ...any) error {
	return fmt.Errorf("at byte %d: %s", l.pos, fmt.Sprintf(format, args...))
}

// skipSpace skips white space and comments.
func (l *pdfLexer) skipSpace() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		switch {
		case isPDFSpace(c):
			l.pos++
		case c == '%':
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
		default:
			return
		}
	}
}

// keyword reads a run of regular characters (a number, true, obj, R...).
func (l *pdfLexer) keyword() string {
	start := l.pos
	for l.pos < len(l.b) && !isPDFSpace(l.b[l.pos]) && !isPDFDelim(l.b[l.pos]) {
		l.pos++
	}
	return string(l.b[start:l.pos])
}

// expect skips space and reads the keyword want.
func (l *pdfLexer) expect(want string) error {
	l.skipSpace()
	if got := l.keyword(); got != want {
		return l.errorf("found %q, want %q", got, want)
	}
	return nil
}

// integer skips space and reads a non-negative integer.
func (l *pdfLexer) integer() (int64, error) {
	l.skipSpace()
	start := l.pos
	for l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '9' {
		l.pos++
	}
	if l.pos == start || l.pos-start > 15 {
		return 0, l.errorf("integer expected")
	}
	return strconv.ParseInt(string(l.b[start:l.pos]), 10, 64)
}

// value parses the next object.
func (l *pdfLexer) value(depth int) (pdfValue, error) {
	if depth > maxPDFDepth {
		return pdfValue{}, l.errorf("objects nested too deeply")
	}
	l.skipSpace()
	if l.pos >= len(l.b) {
		return pdfValue{}, l.errorf("unexpected end of data")
	}
	v := pdfValue{start: l.pos}
	var err error
	switch c := l.b[l.pos]; {
	case c == '<' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '<':
		l.pos += 2
		v.kind = pdfDict
		err = l.dict(&v, depth)
	case c == '<':
		v.kind, v.hexStr = pdfString, true
		v.str, err = l.hexString()
	case c == '(':
		v.kind = pdfString
		v.str, err = l.literalString()
	case c == '[':
		l.pos++
		v.kind = pdfArray
		err = l.array(&v, depth)
	case c == '/':
		l.pos++
		v.kind, v.name = pdfName, "/"+l.keyword()
	default:
		err = l.scalar(&v)
	}
	v.end = l.pos
	return v, err
}

func (l *pdfLexer) dict(v *pdfValue, depth int) error {
	for {
		l.skipSpace()
		if bytes.HasPrefix(l.b[l.pos:], []byte(">>")) {
			l.pos += 2
			return nil
		}
		k, err := l.value(depth + 1)
		if err != nil {
			return err
		}
		if k.kind != pdfName {
			return l.errorf("dictionary key is not a name")
		}
		if _, dup := v.get(k.name); dup {
			return l.errorf("duplicate key %s", k.name)
		}
		val, err := l.value(depth + 1)
		if err != nil {
			return err
		}
		v.keys, v.vals = append(v.keys, k.name), append(v.vals, val)
	}
}

func (l *pdfLexer) array(v *pdfValue, depth int) error {
	for {
		l.skipSpace()
		if l.pos < len(l.b) && l.b[l.pos] == ']' {
			l.pos++
			return nil
		}
		item, err := l.value(depth + 1)
		if err != nil {
			return err
		}
		v.items = append(v.items, item)
	}
}

// scalar reads a number, a reference (n g R), true, false or null.
func (l *pdfLexer) scalar(v *pdfValue) error {
	word := l.keyword()
	switch word {
	case "":
		return l.errorf("unexpected character %q", l.b[l.pos])
	case "true", "false":
		v.kind = pdfBool
		if word == "true" {
			v.num = 1
		}
		return nil
	case "null":
		v.kind = pdfNull
		return nil
	}
	if n, err := strconv.ParseInt(word, 10, 64); err == nil {
		v.kind, v.num = pdfInt, n
		// A reference is "n g R": look ahead without committing.
		save := l.pos
		if g, err := l.integer(); err == nil && n > 0 && g == 0 {
			l.skipSpace()
			if l.keyword() == "R" {
				v.kind = pdfRef
				return nil
			}
		}
		l.pos = save
		return nil
	}
	if _, err := strconv.ParseFloat(word, 64); err == nil && word != "" && (word[0] == '.' || word[0] == '-' || word[0] == '+' || word[0] >= '0' && word[0] <= '9') {
		v.kind = pdfReal
		return nil
	}
	return l.errorf("unexpected token %q", word)
}

func (l *pdfLexer) hexString() ([]byte, error) {
	end := bytes.IndexByte(l.b[l.pos:], '>')
	if end < 0 {
		return nil, l.errorf("unterminated hex string")
	}
	digits := make([]byte, 0, end)
	for _, c := range l.b[l.pos+1 : l.pos+end] {
		if !isPDFSpace(c) {
			digits = append(digits, c)
		}
	}
	if len(digits)%2 == 1 {
		digits = append(digits, '0')
	}
	out, err := hex.DecodeString(string(digits))
	if err != nil {
		return nil, l.errorf("bad hex string: %v", err)
	}
	l.pos += end + 1
	return out, nil
}

func (l *pdfLexer) literalString() ([]byte, error) {
	l.pos++ // (
	var out []byte
	for depth := 1; l.pos < len(l.b); l.pos++ {
		c := l.b[l.pos]
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				l.pos++
				return out, nil
			}
		case '\\':
			l.pos++
			if l.pos >= len(l.b) {
				return nil, l.errorf("unterminated string")
			}
			e := l.b[l.pos]
			switch e {
			case 'n', 'r', 't', 'b', 'f':
				c = map[byte]byte{'n': '\n', 'r': '\r', 't': '\t', 'b': '\b', 'f': '\f'}[e]
			case '\r', '\n':
				if e == '\r' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '\n' {
					l.pos++
				}
				continue
			default:
				if e >= '0' && e <= '7' {
					n := 0
					for i := 0; i < 3 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; i++ {
						n = n*8 + int(l.b[l.pos]-'0')
						l.pos++
					}
					l.pos--
					c = byte(n)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return nil, l.errorf("unterminated string")
}

// readObject parses the indirect object "num 0 obj value" at offset off and
// returns its value (for a stream, only its dictionary).
func readObject(b []byte, off int64, num int) (pdfValue, error) {
	if off < 0 || off >= int64(len(b)) {
		return pdfValue{}, fmt.Errorf("object %d: offset %d outside the file", num, off)
	}
	l := &pdfLexer{b: b, pos: int(off)}
	n, err := l.integer()
	if err != nil || n != int64(num) {
		return pdfValue{}, fmt.Errorf("object %d not found at offset %d", num, off)
	}
	if err := l.expect("0"); err != nil {
		return pdfValue{}, fmt.Errorf("object %d: %w", num, err)
	}
	if err := l.expect("obj"); err != nil {
		return pdfValue{}, fmt.Errorf("object %d: %w", num, err)
	}
	v, err := l.value(0)
	if err != nil {
		return pdfValue{}, fmt.Errorf("object %d: %w", num, err)
	}
	l.skipSpace()
	if kw := l.keyword(); kw != "endobj" && !(kw == "stream" && v.kind == pdfDict) {
		return pdfValue{}, fmt.Errorf("object %d: found %q after the value", num, kw)
	}
	return v, nil
}
