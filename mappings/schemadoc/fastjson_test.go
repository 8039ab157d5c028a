package schemadoc

import (
	"reflect"
	"strings"
	"testing"
)

var fastSeeds = []string{
	`{"a": 1, "b": [1.5, -0, 1e3, 10000000000000000000000, "x", true, null], "c": {"d": {}}}`,
	"{\n  \"schema\": \"auditpack/model/v1\",\n  \"list\": [\n    {\"id\": \"a\"},\n    {\"id\": \"b\"}\n  ]\n}\n",
	`[1, 2, {"a/b": {"~c": 3}}]`,
	`{"a": 1, "a": 2}`,
	`{"<<": {"a": 1}}`,
	`{"a": "\u00e9\ud83d\ude00"}`,
	`{"a": 1} trailing`,
}

// The fast JSON path gives exactly what the YAML path gives.
func TestFastJSONMatchesYAML(t *testing.T) {
	for _, s := range fastSeeds {
		checkFastPath(t, []byte(s))
	}
}

func checkFastPath(t *testing.T, data []byte) {
	v, lines, err := parseJSON(data)
	if err != nil {
		return // the YAML path handles it
	}
	want, wantLines, werr := parseYAML("doc", data)
	if werr != nil {
		t.Fatalf("%q: fast path accepted what YAML refuses: %v", data, werr)
	}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("%q: values differ\nfast %#v\nyaml %#v", data, v, want)
	}
	if !reflect.DeepEqual(lines, wantLines) {
		t.Fatalf("%q: lines differ\nfast %v\nyaml %v", data, lines, wantLines)
	}
}

func FuzzFastJSON(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkFastPath(t, data) })
}

// A key YAML cannot take as an implicit key (too long, or split from its
// colon by a line break) leaves the fast path.
func TestFastJSONLongAndSplitKeys(t *testing.T) {
	long := `{"` + strings.Repeat("k", 1100) + `": 1}`
	for _, s := range []string{long, "{\"a\"\n: 1}"} {
		if _, _, err := parseJSON([]byte(s)); err == nil {
			t.Errorf("fast path took %.40q", s)
		}
		checkFastPath(t, []byte(s))
	}
}
