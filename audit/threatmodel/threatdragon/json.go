package threatdragon

import (
	"encoding/json"
	"fmt"

	"github.com/auditpack/auditpack/audit/threatmodel/importer"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

// Limits bound a Threat Dragon file. Real models are well under a megabyte
// and a few levels deep; the limits keep hostile input from exhausting
// memory or the stack.
var Limits = schemadoc.Limits{Size: maxSize, Values: 2_000_000, Depth: maxDepth, String: 1 << 20}

const (
	maxSize  = 32 << 20
	maxDepth = 128
)

// parse strips a UTF-8 BOM, enforces the size and depth bounds and decodes
// the JSON into generic values (objects, arrays, strings, json.Number, bool).
func parse(data []byte) (map[string]any, error) {
	data = importer.TrimBOM(data)
	if err := importer.CheckSize(data, maxSize); err != nil {
		return nil, err
	}
	v, err := importer.DecodeJSON(data, Limits)
	if err != nil {
		return nil, err
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("at /: the top-level value is not a JSON object")
	}
	return root, nil
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func arr(v any) []any {
	a, _ := v.([]any)
	return a
}

// str returns strings as they are and numbers in their source spelling;
// anything else reads as empty.
func str(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	}
	return ""
}
