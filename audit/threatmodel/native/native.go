// Package native reads and writes auditpack's own threat-model format
// (auditpack/model/v1), in JSON or YAML 1.2, validated against its published
// JSON Schema. Every element's Ref is set to its JSON pointer, so later
// problems (a dangling reference, say) name the place in the file.
package native

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sync"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/vocab"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// SchemaVersion is the value of the "schema" key of a native model.
const SchemaVersion = "auditpack/model/v1"

//go:embed model.schema.json
var schemaJSON []byte

var compiled = sync.OnceValue(func() *jsonschema.Schema {
	return schemadoc.MustCompile("auditpack-model.schema.json", schemaJSON)
})

// Limits bound a native model (see [schemadoc.Limits]): a generated model
// of ten thousand components and fifty thousand flows is 17 MB of JSON
// holding about 750,000 values, nested six deep.
var Limits = schemadoc.Limits{Size: 64 << 20, Values: 2_000_000, Depth: 64, String: 1 << 20}

// Schema returns the published JSON Schema of the format.
func Schema() []byte { return slices.Clone(schemaJSON) }

// Detect reports whether data declares the native schema.
func Detect(data []byte) bool {
	// Every native model names its schema; other exports, tried after this
	// one, are spared a full parse here.
	// JSON may escape the slashes.
	if !bytes.Contains(data, []byte(SchemaVersion)) && !bytes.Contains(data, []byte(`auditpack\/model\/v1`)) {
		return false
	}
	// auditpack writes "schema" first; reading it from the first tokens
	// spares a large model a second full parse (Decode makes the first).
	// A file claimed this way that turns out malformed gets the native
	// decoder's message, with its line, rather than "format not recognised".
	if v, ok := leadingSchema(data); ok {
		return v == SchemaVersion
	}
	v, _, err := schemadoc.ParseLimited("", data, Limits)
	if err != nil {
		return false
	}
	m, ok := v.(map[string]any)
	return ok && m["schema"] == SchemaVersion
}

// leadingSchema returns the value of "schema" when it is the first key of a
// JSON object; ok is false when the data does not start that way.
func leadingSchema(data []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", false
	}
	if t, err := dec.Token(); err != nil || t != "schema" {
		return "", false
	}
	v, err := dec.Token()
	s, isString := v.(string)
	if err != nil || !isString {
		return "", false
	}
	return s, true
}

type document struct {
	Schema string `json:"schema"`
	model.Model
}

// Decode reads a native model. fsys is unused (the format has no includes)
// and is accepted so that every importer has the same signature.
func Decode(_ fs.FS, name string, data []byte) (*model.Model, error) {
	var doc document
	lines, err := schemadoc.DecodeLimited(name, data, Limits, compiled(), &doc)
	if err != nil {
		return nil, err
	}
	m := &doc.Model
	m.Source = model.Source{Format: "auditpack", FormatVersion: SchemaVersion, File: name}
	for i := range m.Zones {
		m.Zones[i].Ref = fmt.Sprintf("/zones/%d", i)
	}
	for i := range m.Components {
		m.Components[i].Ref = fmt.Sprintf("/components/%d", i)
	}
	for i := range m.Flows {
		m.Flows[i].Ref = fmt.Sprintf("/flows/%d", i)
	}
	for i := range m.DataAssets {
		m.DataAssets[i].Ref = fmt.Sprintf("/data_assets/%d", i)
	}
	for i := range m.Threats {
		m.Threats[i].Ref = fmt.Sprintf("/threats/%d", i)
	}
	for i := range m.Mitigations {
		m.Mitigations[i].Ref = fmt.Sprintf("/mitigations/%d", i)
	}
	if _, err := model.New(m); err != nil {
		var inv *model.InvalidError
		if errors.As(err, &inv) {
			e := &schemadoc.Error{File: name}
			for _, is := range inv.Issues {
				e.Problems = append(e.Problems, schemadoc.Problem{Line: lines.Line(is.Ref), Pointer: is.Ref, Message: is.Message})
			}
			return nil, e
		}
		return nil, err
	}
	if errs, _ := vocab.Model(m, vocab.Tags{}); len(errs) > 0 {
		return nil, vocab.Error(name, lines, errs)
	}
	return m, nil
}

// Encode writes m in the native JSON form, indented, with provenance
// references and importer warnings dropped (they describe the original).
func Encode(m *model.Model) ([]byte, error) {
	c := *m
	c.Warnings = nil
	c.Source = model.Source{}
	raw, err := json.Marshal(document{Schema: SchemaVersion, Model: c})
	if err != nil {
		return nil, fmt.Errorf("encode model: %w", err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	stripRefs(v)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func stripRefs(v any) {
	switch t := v.(type) {
	case map[string]any:
		delete(t, "ref")
		delete(t, "raw_status")
		for _, c := range t {
			stripRefs(c)
		}
	case []any:
		for _, c := range t {
			stripRefs(c)
		}
	}
}
