package schemadoc

import (
	"bytes"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// CompileParts compiles an embedded schema and the subschemas at the JSON
// pointers given, in that order, from one compiler. A reader that checks a
// large document one element at a time validates each element against the
// subschema for its place instead of holding the whole document. An empty
// pointer gives a nil schema.
func CompileParts(url string, schema []byte, pointers ...string) ([]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	if err := c.AddResource(url, bytes.NewReader(schema)); err != nil {
		return nil, fmt.Errorf("schema %s: %w", url, err)
	}
	out := make([]*jsonschema.Schema, 0, len(pointers)+1)
	for i, p := range append([]string{""}, pointers...) {
		ref := url
		if p == "" && i > 0 {
			out = append(out, nil)
			continue
		} else if p != "" {
			ref += "#" + p
		}
		s, err := c.Compile(ref)
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", ref, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// Validate checks v, parsed by [ParseLimited], against schema and reports
// problems as [Decode] does, without decoding it.
func Validate(name string, v any, lines Lines, schema *jsonschema.Schema) error {
	if err := schema.Validate(v); err != nil {
		if e := undeclared(name, lines, schema, v); e != nil {
			return e
		}
		return fromValidation(name, lines, err)
	}
	return nil
}
