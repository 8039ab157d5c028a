package audit

import (
	"bytes"
	_ "embed"
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
	j := jsonindent.NewWriter(w, "  ")
	err := encodeResults(j, r)
	if cerr := j.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	return nil
}

// encodeResults writes the top-level object. Its fields are walked in
// declaration order, as encoding/json does, so a field added to Results is
// written without change here; none may be omitempty, which would need
// encoding/json's emptiness rules.
func encodeResults(j *jsonindent.Writer, r *Results) error {
	v := reflect.ValueOf(r).Elem()
	t := v.Type()
	j.Begin('{')
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
		j.Key(name)
		if rs, ok := v.Field(i).Addr().Interface().(*[]eval.Result); ok && len(*rs) > 0 {
			j.Begin('[')
			for k := range *rs {
				j.Elem()
				j.Value(&(*rs)[k])
			}
			j.End(']')
		} else {
			j.Value(v.Field(i).Addr().Interface())
		}
	}
	j.End('}')
	return nil
}
