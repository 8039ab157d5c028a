package audit

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
)

//go:embed results.schema.json
var resultsSchema []byte

// ResultsSchema returns the published JSON Schema of results.json.
func ResultsSchema() []byte { return slices.Clone(resultsSchema) }

// Encode writes results in their canonical form: indented JSON, no HTML
// escaping, a final newline. Equal results give identical bytes.
func Encode(r *Results) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("encode results: %w", err)
	}
	return buf.Bytes(), nil
}
