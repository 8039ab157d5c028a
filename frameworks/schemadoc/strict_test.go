package schemadoc

import (
	"errors"
	"strings"
	"testing"
)

// paddedJSON is a document of n zeros, each followed by pad spaces, which
// the density rule once let through when the padding was counted.
func paddedJSON(n, pad int) []byte {
	var b strings.Builder
	b.WriteString(`{"schema":"auditpack/model/v1","zones":[0`)
	for range n - 1 {
		b.WriteString(",0")
		b.WriteString(strings.Repeat(" ", pad))
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// paddedYAML is the same in YAML, padded with a comment on every line.
func paddedYAML(n int) []byte {
	var b strings.Builder
	b.WriteString("zones: [0")
	for range n - 1 {
		b.WriteString(",0 #pad\n")
	}
	b.WriteString("]\n")
	return []byte(b.String())
}

// White space and comments buy a document no values: only its meaningful
// bytes count in the density rule.
func TestPaddingBuysNothing(t *testing.T) {
	for name, doc := range map[string][]byte{"p.json": paddedJSON(200_000, 4), "p.yaml": paddedYAML(100_000)} {
		_, _, err := ParseLimited(name, doc, DefaultLimits)
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), name+":") || !strings.Contains(err.Error(), "meaningful bytes") {
			t.Errorf("%s: got %v, want refusal by the density rule", name, err)
		}
	}
	if w := JSONWeight([]byte(" { \"a b\" :\n 1 } ")); w != 9 {
		t.Errorf("JSONWeight = %d, want 9", w)
	}
	if w := YAMLWeight([]byte("# c\na: b # c\nd: 'e#f'\n")); w != 10 {
		t.Errorf("YAMLWeight = %d, want 11", w)
	}
}

// The hostile documents at full size are refused in a time proportional to
// their bytes.
func BenchmarkPaddedRefusal(b *testing.B) {
	docs := map[string][]byte{"p.json": paddedJSON(1_990_000, 4), "p.yaml": paddedYAML(490_000)}
	for name, doc := range docs {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				if _, _, err := ParseLimited(name, doc, DefaultLimits); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}

// A file holds one document: whatever follows it is refused, not ignored.
func TestTrailingDataRefused(t *testing.T) {
	tests := []struct{ doc, want string }{
		{"{\"a\": 1}\n{\"schema_version\":\"evil\"} trailing garbage ][", `d:2: JSON syntax error at column 1: unexpected '{' after the end of the JSON document`},
		{"{\"a\": 1}\n---\n[", `d:2: JSON syntax error at column 1: unexpected '-' after the end`},
		{"a: 1\n---\nschema: evil\n", "d:2: a second YAML document follows the first"},
		{"a: 1\n--- [\n", "d:2: after the first document:"},
	}
	for _, tt := range tests {
		_, _, err := Parse("d", []byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.doc, err, tt.want)
		}
	}
	if _, _, err := Parse("d", []byte("a: 1\n...\n")); err != nil {
		t.Errorf("a document end marker: %v", err)
	}
}

// A document that starts like JSON is JSON: its syntax errors are reported
// as such, with line and column, and never read again as YAML.
func TestBrokenJSONIsASyntaxError(t *testing.T) {
	tests := []struct{ doc, want string }{
		{"{\"a\": 1,\n \"b\": }", "d:2: JSON syntax error at column 7: unexpected '}', expected a value"},
		{"{\"a\": 1,\n b: 2}", "d:2: JSON syntax error at column 2: unexpected 'b', expected a key in quotes"},
		{"{\"a\": [1, 2}", "d:1: JSON syntax error at column 12: unexpected '}', expected ',' or ']'"},
		{"{\"a\": 1, \"a\": 2}", "d:1: key \"a\" appears twice"},
		{"[1e999]", "d:1: JSON syntax error at column 2: 1e999 is not a finite number"},
	}
	for _, tt := range tests {
		_, _, err := Parse("d", []byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.doc, err, tt.want)
		}
	}
}

// Escaped characters beyond the BMP, as Python's json.dumps writes them,
// are one character; a lone surrogate is an error with its place.
func TestSurrogateEscapes(t *testing.T) {
	v, _, err := Parse("d", []byte(`{"a": "x\ud83d\ude00y", "b": "\u00e9\/"}`))
	if err != nil {
		t.Fatal(err)
	}
	if m := v.(map[string]any); m["a"] != "x\U0001F600y" || m["b"] != "é/" {
		t.Fatalf("got %#v", m)
	}
	for _, doc := range []string{"{\n\"a\": \"\\ud83d\"}", "{\n\"a\": \"\\ude00\\ud83d\"}", "{\n\"a\": \"\\ud83dx\"}"} {
		_, _, err := Parse("d", []byte(doc))
		if err == nil || !strings.Contains(err.Error(), "d:2: JSON syntax error at column 7: lone surrogate escape") {
			t.Errorf("%q: got %v", doc, err)
		}
	}
}
