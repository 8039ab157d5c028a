package schemadoc

import (
	"strings"
	"testing"
)

// TestUndeclaredDocumentsAreNotQuoted checks the rule of schema errors:
// keys are quoted only for a document that declares the expected type.
func TestUndeclaredDocumentsAreNotQuoted(t *testing.T) {
	s := MustCompile("t.json", []byte(`{"type": "object", "required": ["schema"], "additionalProperties": false,
		"properties": {"schema": {"const": "auditpack/test/v1"}, "a": {"type": "string"}}}`))
	tests := []struct{ doc, want, not string }{
		{"SECRET: 1\n", "f: not an auditpack test file (no schema: auditpack/test/v1)", "SECRET"},
		{"schema: other\nSECRET: 1\n", `f:1: at /schema: value must be "auditpack/test/v1": not an auditpack test file`, "SECRET"},
		{"- SECRET\n", "not an auditpack test file", "SECRET"},
		// A document that starts with [ is JSON; its syntax error gives
		// the place and at most the one character found there.
		{"[SECRET]\n", "f:1: JSON syntax error at column 2", "SECRET"},
		{"schema: auditpack/test/v1\nevidnce: 1\n", "f:2: additionalProperties 'evidnce' not allowed", "\x00"},
		{"a: *SECRET\n", "f: unknown anchor referenced", "SECRET"},
	}
	for _, tt := range tests {
		var out map[string]any
		_, err := Decode("f", []byte(tt.doc), s, &out)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), tt.not) {
			t.Errorf("%q: error = %v, want %q without %q", tt.doc, err, tt.want, tt.not)
		}
	}
}
