package audit

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/jsonindent"
)

//go:embed results.schema.json
var resultsSchema []byte

// ResultsSchema returns the published JSON Schema of results.json.
func ResultsSchema() []byte { return slices.Clone(resultsSchema) }

// Encode returns results in their canonical form (see [EncodeTo]). It holds
// the whole document; callers writing a file should stream with EncodeTo.
func Encode(r *Results) ([]byte, error) {
	var buf bytes.Buffer
	if err := EncodeTo(&buf, r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// EncodeTo writes results in their canonical form to w: indented JSON, no
// HTML escaping, a final newline. Equal results give identical bytes.
//
// On a large model the rule results are most of the document (hundreds of
// megabytes for 50,000 flows), so the document is written field by field
// and the rule results one at a time, each encoded and indented in a small
// reused buffer: memory stays that of one rule result whatever the model.
// The bytes are exactly those of encoding the whole at once.
func EncodeTo(w io.Writer, r *Results) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	e := &streamer{w: bw}
	e.enc = json.NewEncoder(&e.one)
	e.enc.SetEscapeHTML(false)
	if err := e.results(r); err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	return nil
}

// streamer writes one value at a time: each is encoded compactly into one
// and laid out by [jsonindent.Append] into out, both reused.
type streamer struct {
	w   *bufio.Writer
	enc *json.Encoder
	one bytes.Buffer
	out []byte
}

// value writes v indented as it stands in the document, its lines after
// the first prefixed by prefix.
func (e *streamer) value(v any, prefix string) error {
	e.one.Reset()
	if err := e.enc.Encode(v); err != nil {
		return err
	}
	var err error
	e.out, err = jsonindent.Append(e.out[:0], bytes.TrimSuffix(e.one.Bytes(), []byte("\n")), prefix, "  ")
	if err != nil {
		return err
	}
	_, err = e.w.Write(e.out)
	return err
}

// results writes the top-level object. Its fields are walked in declaration
// order, as encoding/json does, so a field added to Results is written
// without change here; none may be omitempty, which would need encoding/json's
// emptiness rules.
func (e *streamer) results(r *Results) error {
	v := reflect.ValueOf(r).Elem()
	t := v.Type()
	e.w.WriteString("{")
	first := true
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if opts != "" || name == "" {
			return fmt.Errorf("field %s: tag %q cannot be streamed", f.Name, tag)
		}
		if !first {
			e.w.WriteString(",")
		}
		first = false
		key, err := json.Marshal(name)
		if err != nil {
			return err
		}
		e.w.WriteString("\n  ")
		e.w.Write(key)
		e.w.WriteString(": ")
		if rs, ok := v.Field(i).Addr().Interface().(*[]eval.Result); ok && len(*rs) > 0 {
			err = e.ruleResults(*rs)
		} else {
			err = e.value(v.Field(i).Addr().Interface(), "  ")
		}
		if err != nil {
			return err
		}
	}
	_, err := e.w.WriteString("\n}\n")
	return err
}

// ruleResults writes a non-empty array of rule results, element by element.
func (e *streamer) ruleResults(rs []eval.Result) error {
	e.w.WriteString("[")
	for i := range rs {
		if i > 0 {
			e.w.WriteString(",")
		}
		e.w.WriteString("\n    ")
		if err := e.value(&rs[i], "    "); err != nil {
			return err
		}
	}
	_, err := e.w.WriteString("\n  ]")
	return err
}
