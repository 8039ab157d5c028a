package schemadoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"sort"
	"strconv"
	"unicode/utf8"
)

// errSlowPath sends a document back to the YAML decoder, whose messages
// (line, column, what was expected) are the ones users see.
var errSlowPath = errors.New("use the YAML decoder")

// parseJSON is the fast path of [Parse] for documents that are plain JSON:
// a generated model of ten thousand components is tens of megabytes, and
// building a YAML node tree for it first took most of the import time. It
// produces exactly what the YAML path produces, values and lines alike, for
// every well-formed JSON document; anything unusual (a syntax error, a
// duplicate key, invalid UTF-8, deep nesting, a number out of range) returns
// errSlowPath, so errors are always reported by the YAML decoder.
func parseJSON(data []byte, maxDepth int) (any, Lines, error) {
	if !looksJSON(data) || !printable(data) || surrogateEscape(data) {
		return nil, nil, errSlowPath
	}
	p := &jsonParser{maxDepth: maxDepth, data: data, dec: json.NewDecoder(bytes.NewReader(data)), lines: Lines{}}
	p.dec.UseNumber()
	for i, b := range data {
		if b == '\n' {
			p.newlines = append(p.newlines, i)
		}
	}
	v, err := p.value("", 0)
	if err != nil {
		return nil, nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, nil, errSlowPath // trailing content
	}
	return v, p.lines, nil
}

// looksJSON reports whether data starts like a JSON object or array.
func looksJSON(data []byte) bool {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	return len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[')
}

type jsonParser struct {
	maxDepth int
	data     []byte
	dec      *json.Decoder
	lines    Lines
	newlines []int // offsets of '\n'
}

// line returns the 1-based line of the next token: the decoder's offset is
// just past the previous token, so separators and spaces are skipped first.
func (p *jsonParser) line() int {
	off := int(p.dec.InputOffset())
	for off < len(p.data) {
		switch p.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return sort.SearchInts(p.newlines, off) + 1
}

// keyOnOneLine reports whether the key just read is short and on the same
// line as its colon: YAML refuses an implicit key that spans lines or is
// longer than 1024 characters, where JSON allows both.
func (p *jsonParser) keyOnOneLine() bool {
	end := int(p.dec.InputOffset())
	start := bytes.LastIndexByte(p.data[:end], '"')
	if start >= 0 {
		start = bytes.LastIndexByte(p.data[:start], '"')
	}
	if start < 0 || end-start > 1000 {
		return false
	}
	for _, b := range p.data[end:] {
		switch b {
		case ':':
			return true
		case '\n', '\r':
			return false
		}
	}
	return false
}

func (p *jsonParser) value(ptr string, depth int) (any, error) {
	if depth > p.maxDepth {
		return nil, errSlowPath
	}
	p.lines[ptr] = p.line()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, errSlowPath
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := map[string]any{}
			for p.dec.More() {
				kt, err := p.dec.Token()
				if err != nil {
					return nil, errSlowPath
				}
				k, ok := kt.(string)
				if !ok || !p.keyOnOneLine() {
					return nil, errSlowPath
				}
				if _, dup := m[k]; dup || k == "<<" {
					return nil, errSlowPath // the YAML path reports duplicates, and merges keys
				}
				v, err := p.value(ptr+"/"+escape(k), depth+1)
				if err != nil {
					return nil, err
				}
				m[k] = v
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, errSlowPath
			}
			return m, nil
		case '[':
			s := []any{}
			for i := 0; p.dec.More(); i++ {
				v, err := p.value(ptr+"/"+strconv.Itoa(i), depth+1)
				if err != nil {
					return nil, err
				}
				s = append(s, v)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, errSlowPath
			}
			return s, nil
		}
		return nil, errSlowPath
	case json.Number:
		return number(string(t))
	case string, bool, nil:
		return t, nil
	}
	return nil, errSlowPath
}

// number normalises a number the way the YAML path does: integers that fit
// in int64 as themselves, everything else through float64.
func number(s string) (any, error) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return json.Number(strconv.FormatInt(i, 10)), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, errSlowPath
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

// surrogateEscape reports a \uD800-\uDFFF escape, which the YAML decoder
// refuses and so must keep refusing.
func surrogateEscape(data []byte) bool {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte(`\u`))
		if j < 0 {
			return false
		}
		i += j + 2
		if i+1 < len(data) && (data[i] == 'd' || data[i] == 'D') && bytes.IndexByte([]byte("89abABcdefCDEF"), data[i+1]) >= 0 {
			return true
		}
	}
}

// printable reports whether data is valid UTF-8 made only of characters the
// YAML decoder accepts everywhere and whose line breaks are "\n" or "\r\n",
// so that lines are counted alike on both paths.
func printable(data []byte) bool {
	for len(data) > 0 {
		if c := data[0]; c >= 0x20 && c < 0x7f || c == '\n' {
			data = data[1:]
			continue
		}
		r, n := utf8.DecodeRune(data)
		data = data[n:]
		switch {
		case r == utf8.RuneError && n == 1:
			return false
		case r == '\r' && (len(data) == 0 || data[0] != '\n'):
			return false // a lone CR is a line break to YAML
		case r == '\n' || r == '\r':
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0x2028 || r == 0x2029:
			return false // tabs and controls, and NEL, LS and PS, which YAML counts as line breaks
		case r >= 0xd800 && r < 0xe000, r == 0xfeff, r == 0xfffe, r == 0xffff:
			return false
		}
	}
	return true
}
