package jsonindent

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
)

// Writer writes one indented JSON document piece by piece: objects and
// arrays are opened and closed by hand, their members and elements written
// one at a time, each encoded as encoding/json does and laid out by
// [Append] in a reused buffer. A document far larger than memory can thus
// be written with the bytes of encoding it whole with SetIndent("", indent)
// and SetEscapeHTML(false).
//
// Errors are sticky: after the first, nothing more is written and [Writer.Close]
// returns it.
type Writer struct {
	w      *bufio.Writer
	enc    *json.Encoder
	one    bytes.Buffer
	out    []byte
	indent string
	open   []bool // per open object or array: whether it has no member yet
	err    error
}

// NewWriter returns a Writer to w indenting by indent.
func NewWriter(w io.Writer, indent string) *Writer {
	j := &Writer{w: bufio.NewWriterSize(w, 1<<16), indent: indent}
	j.enc = json.NewEncoder(&j.one)
	j.enc.SetEscapeHTML(false)
	return j
}

// Begin opens an object ('{') or an array ('[').
func (j *Writer) Begin(c byte) {
	j.write(string(c))
	j.open = append(j.open, true)
}

// End closes the innermost object ('}') or array (']'); an empty one is
// written {} or [], as encoding/json does.
func (j *Writer) End(c byte) {
	empty := j.open[len(j.open)-1]
	j.open = j.open[:len(j.open)-1]
	if !empty {
		j.newline()
	}
	j.write(string(c))
}

// Key starts the member name of the innermost object.
func (j *Writer) Key(name string) {
	j.Elem()
	k, err := json.Marshal(name)
	if err != nil && j.err == nil {
		j.err = err
	}
	j.write(string(k))
	j.write(": ")
}

// Elem starts the next element of the innermost array.
func (j *Writer) Elem() {
	if !j.open[len(j.open)-1] {
		j.write(",")
	}
	j.open[len(j.open)-1] = false
	j.newline()
}

// Value writes v where a member's value or an element goes.
func (j *Writer) Value(v any) {
	if j.err != nil {
		return
	}
	j.one.Reset()
	if j.err = j.enc.Encode(v); j.err != nil {
		return
	}
	j.out, j.err = Append(j.out[:0], bytes.TrimSuffix(j.one.Bytes(), []byte("\n")), strings.Repeat(j.indent, len(j.open)), j.indent)
	if j.err == nil {
		_, j.err = j.w.Write(j.out)
	}
}

// Close ends the document with encoding/json's final newline and flushes
// it; it returns the first error met.
func (j *Writer) Close() error {
	j.write("\n")
	if j.err == nil {
		j.err = j.w.Flush()
	}
	return j.err
}

func (j *Writer) newline() {
	j.write("\n")
	for range len(j.open) {
		j.write(j.indent)
	}
}

func (j *Writer) write(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}
