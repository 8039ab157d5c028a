package schemadoc

import (
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// markerKeys are the top-level properties by which auditpack documents
// declare their type; a schema names the value it expects with "const".
var markerKeys = []string{"schema", "schema_version"}

// undeclared refuses a document that fails validation and does not declare
// itself with the marker its schema expects, without quoting anything from
// it. Schema errors quote the offending keys, which helps with a typo in a
// config but would copy the keys of a credentials file or a .env named in
// the wrong place into a terminal or a CI log; so keys are quoted only for
// a document that claims to be of the expected type. It returns nil when
// the schema has no marker or the document declares it.
func undeclared(name string, lines Lines, schema *jsonschema.Schema, v any) error {
	key, want := marker(schema)
	if key == "" {
		return nil
	}
	m, _ := v.(map[string]any)
	got, present := m[key]
	if got == want {
		return nil
	}
	kind := strings.TrimSuffix(strings.TrimPrefix(want, "auditpack/"), "/v1")
	if i := strings.IndexByte(kind, '/'); i >= 0 {
		kind = kind[:i]
	}
	msg := fmt.Sprintf("not an auditpack %s file (no %s: %s)", kind, key, want)
	p := Problem{Message: msg}
	if present {
		p = Problem{Line: lines.Line("/" + key), Pointer: "/" + key, Message: fmt.Sprintf("value must be %q: not an auditpack %s file", want, kind)}
	}
	return &Error{File: name, Problems: []Problem{p}}
}

// marker returns the marker property of schema and the string it must
// hold, or "" when the schema declares none.
func marker(schema *jsonschema.Schema) (string, string) {
	for s := schema; s != nil; s = s.Ref {
		for _, k := range markerKeys {
			if p := s.Properties[k]; p != nil && len(p.Constant) > 0 {
				if c, ok := p.Constant[0].(string); ok {
					return k, c
				}
			}
		}
	}
	return "", ""
}
