// Package jsonindent indents JSON that encoding/json has just written,
// exactly as [json.Indent] would, several times faster.
//
// results.json and the OSCAL document of a large model are hundreds of
// megabytes; encoding/json's indenter runs its full validating scanner over
// every byte and spent two thirds of their encoding time. Output of
// json.Marshal is already valid and compact, so only string boundaries and
// punctuation need to be found, and runs of string bytes are copied whole.
package jsonindent

import (
	"bytes"
	"encoding/json"
	"errors"
)

// ErrUnbalanced reports input that cannot have come from encoding/json:
// brackets that do not pair up or a string that does not end.
var ErrUnbalanced = errors.New("jsonindent: input is not compact encoding/json output")

// Append appends the indented form of src to dst. src must be compact JSON
// as encoding/json writes it (one value, optionally followed by the
// encoder's newline); the result equals json.Indent's for such input.
// Anything else may be indented wrongly; unbalanced input is refused.
func Append(dst, src []byte, prefix, indent string) ([]byte, error) {
	// lines[:1+len(prefix)+d*len(indent)] is the break before a value at
	// depth d; it grows as deeper values appear.
	lines := []byte("\n" + prefix)
	base := len(lines)
	depth := 0
	needIndent := false
	newline := func(dst []byte) []byte {
		n := base + depth*len(indent)
		for len(lines) < n {
			lines = append(lines, indent...)
		}
		return append(dst, lines[:n]...)
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			dst = newline(dst)
		}
		switch c {
		case '"':
			end, ok := stringEnd(src, i+1)
			if !ok {
				return dst, ErrUnbalanced
			}
			dst = append(dst, src[i:end]...)
			i = end - 1
		case '{', '[':
			needIndent = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			dst = newline(dst)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				if depth == 0 {
					return dst, ErrUnbalanced
				}
				depth--
				dst = newline(dst)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	if depth != 0 || needIndent {
		return dst, ErrUnbalanced
	}
	return dst, nil
}

// stringEnd returns the index just past the quote that closes the string
// whose contents start at i. Most strings have no escapes, so the closing
// quote is searched for first and the run before it checked for a
// backslash, both with the vectorised byte search.
func stringEnd(src []byte, i int) (int, bool) {
	for {
		q := bytes.IndexByte(src[i:], '"')
		if q < 0 {
			return 0, false
		}
		b := bytes.IndexByte(src[i:i+q], '\\')
		if b < 0 {
			return i + q + 1, true
		}
		i += b + 2 // a backslash and the byte it escapes
		if i > len(src) {
			return 0, false
		}
	}
}

// Encode marshals v as encoding/json's Encoder does with SetIndent(prefix,
// indent) and SetEscapeHTML(false), final newline included, and appends the
// result to dst.
func Encode(dst []byte, v any, prefix, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return dst, err
	}
	return Append(dst, buf.Bytes(), prefix, indent)
}
