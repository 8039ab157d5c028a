package schemadoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

var budgetSeeds = []string{
	"a: 1\nb: [x, y]\n",
	"- - - x\n- a: b\n  c: d\n-\n- ? k\n  : v\n",
	"{a, b: [c, {d}], e: [f: g]}\n",
	"a: &x [1, 2]\nb: *x\nc: {<<: {y: 1}}\n",
	"text: |\n  a, b: [c]\n  - d\nplain: a - b, c\n",
	"[a: b, c: d]\n---\nx: 1\n",
	`{"a": [1, "x", true, null, {"b": []}]}`,
	"'q': \"w\"\n? [a, b]\n: c\n",
}

// countNodes counts the nodes of a tree as written: each alias once.
func countNodes(n *yaml.Node) int {
	c := 0
	if n.Kind != yaml.DocumentNode {
		c = 1
	}
	for _, k := range n.Content {
		c += countNodes(k)
	}
	return c
}

// checkYAMLBound fails if the byte scan counts fewer values than the YAML
// library builds: the scan's refusal is only safe as an upper bound.
func checkYAMLBound(t *testing.T, data []byte) {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil || root.Kind == 0 {
		return
	}
	nodes := countNodes(&root)
	if nodes <= 1 {
		return // the scan starts at one, for the root
	}
	over, _ := yamlBound(data, nodes-1)
	if over == 0 {
		t.Fatalf("%q: the scan counts fewer values than the %d nodes built", data, nodes)
	}
}

func TestYAMLBoundIsAnUpperBound(t *testing.T) {
	for _, s := range budgetSeeds {
		checkYAMLBound(t, []byte(s))
	}
}

func FuzzYAMLBound(f *testing.F) {
	for _, s := range budgetSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		checkYAMLBound(t, data)
	})
}

// jsonValues counts the values and keys of valid JSON with encoding/json.
func jsonValues(data []byte) int {
	dec := json.NewDecoder(bytes.NewReader(data))
	n := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			return -1
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			continue
		}
		n++
	}
}

// The JSON scan counts exactly what encoding/json reads from valid JSON.
func FuzzScanJSON(f *testing.F) {
	for _, s := range []string{`{"a": [1, -2.5e3, "x\"y", true, null, {"b": []}]}`, `[[], {}, ""]`, `"s"`, `0`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		want := jsonValues(data)
		if want < 0 {
			return
		}
		l := Limits{Size: 1 << 30, Values: want, Depth: 1 << 20, String: 1 << 30}
		if p := scanJSON(data, l); p != nil && want <= l.values(JSONWeight(data)) {
			t.Fatalf("%q: %d values within the limit refused: %s", data, want, p.Message)
		}
		l.Values = want - 1
		if p := scanJSON(data, l); p == nil && want > FreeValues {
			t.Fatalf("%q: %d values over the limit of %d accepted", data, want, l.Values)
		}
	})
}

func TestLimitsRefuseWithFileAndLine(t *testing.T) {
	l := Limits{Size: 1 << 20, Values: 50, Depth: 3, String: 8}
	tests := []struct{ name, doc, want string }{
		{"values yaml", "a: [" + strings.Repeat("0,", 60) + "0]\n", "v.yaml:1: the document holds more than 50 values"},
		{"values json", "{\n\"a\": [" + strings.Repeat("0,", 60) + "0]}", "v.yaml:2: the document holds more than 50 values"},
		{"depth yaml", "a:\n  b:\n    c:\n      d: 1\n", "v.yaml:4: nesting is too deep (more than 3 levels)"},
		{"depth json", `{"a": {"b": {"c": {}}}}`, "v.yaml:1: nesting is too deep (more than 3 levels)"},
		{"string yaml", "a: b\nc: 123456789\n", "v.yaml:2: a string of more than 8 bytes"},
		{"string json", "{\"a\": \"b\",\n\"c\": \"123456789\"}", "v.yaml:2: a string of more than 8 bytes"},
		{"key", "123456789: x\n", "v.yaml:1: a string of more than 8 bytes"},
		{"alias", "a: &a [x, x, x, x, x, x, x, x]\nb: [*a, *a, *a, *a, *a, *a]\n", "v.yaml:2: aliases expand to more than 50 values"},
		{"alias depth", "a: &a [[x]]\nb: [[*a]]\n", "v.yaml:2: nesting is too deep through an alias"},
		{"size", strings.Repeat("#", 2<<20), "v.yaml: document is larger than 1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseLimited("v.yaml", []byte(tt.doc), l)
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an *Error containing %q", err, tt.want)
			}
		})
	}
	if _, _, err := ParseLimited("ok.yaml", []byte("a: &a [x]\nb: [*a, *a]\nc: {d: 12345678}\n"), l); err != nil {
		t.Fatalf("a document within the limits: %v", err)
	}
}

// A document of nothing but values (a few bytes each) is refused by the
// density rule, whatever the limit on values says.
func TestDensityRule(t *testing.T) {
	doc := "zones: [" + strings.Repeat("0,", 100_000) + "0]\n"
	_, _, err := ParseLimited("z.yaml", []byte(doc), DefaultLimits)
	if err == nil || !strings.Contains(err.Error(), "z.yaml:1: the document holds more than") || !strings.Contains(err.Error(), "one value per 4 bytes") {
		t.Fatalf("got %v", err)
	}
}
