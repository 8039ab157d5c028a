package schemadoc

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
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
	v, lines, err := parseJSON(data, maxDepth)
	if err != nil {
		return // the YAML path handles it
	}
	want, wantLines, werr := parseYAML("doc", data, DefaultLimits)
	if werr != nil && strings.Contains(werr.Error(), "unknown escape character") && bytes.Contains(data, []byte(`\/`)) {
		// JSON and YAML 1.2 both define the escape \/ (exporters such as
		// PHP's json_encode write it); the YAML library lacks it, and JSON
		// input keeps the fast path's reading.
		return
	}
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
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastPath(t, data)
		checkReader(t, data)
	})
}

// An escaped slash, which the YAML library refuses, is read as JSON reads it.
func TestEscapedSlash(t *testing.T) {
	v, _, err := Parse("doc.json", []byte(`{"schema": "auditpack\/model\/v1"}`))
	if err != nil || v.(map[string]any)["schema"] != "auditpack/model/v1" {
		t.Fatalf("got %#v, %v", v, err)
	}
}

// A key YAML cannot take as an implicit key (too long, or split from its
// colon by a line break) leaves the fast path.
func TestFastJSONLongAndSplitKeys(t *testing.T) {
	long := `{"` + strings.Repeat("k", 1100) + `": 1}`
	for _, s := range []string{long, "{\"a\"\n: 1}"} {
		if _, _, err := parseJSON([]byte(s), maxDepth); err == nil {
			t.Errorf("fast path took %.40q", s)
		}
		checkFastPath(t, []byte(s))
	}
}

// checkReader fails when a JSONReader takes a document the fast path of
// Parse does not, or reads a different value from it.
func checkReader(t *testing.T, data []byte) {
	t.Helper()
	r, ok := NewJSONReader(data)
	if !ok {
		return
	}
	v, err := r.Value()
	if err != nil || r.Finish() != nil {
		return
	}
	want, _, err := parseJSON(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), maxDepth)
	if err != nil {
		t.Fatalf("%q: the reader took what the fast path refuses", data)
	}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("%q: values differ\nreader %#v\nparse  %#v", data, v, want)
	}
}

func TestJSONReaderMatchesFastPath(t *testing.T) {
	took := 0
	docs := slices.Concat(fastSeeds, []string{`{"a": [1, 2.50, -0, 1e2, 1E-2, "\/\u0041\n"], "b": {"c": null, "d": false}}`,
		`{"a": 01}`, `{"a": 1.}`, `{"a": .5}`, `{"a": +1}`, `{"a": -}`, `{"a": 1e}`, `{"a": tru}`, `{"a": nul}`,
		`{"a": "x` + "\n" + `"}`, `{"a": "\x"}`, `{"a": 1,}`, `[1 2]`, `{"a" 1}`, `{1: 2}`, "{\"a\"\n: 1}",
		`{"` + strings.Repeat("k", 997) + `": 1}`, `{"` + strings.Repeat("k", 998) + `": 1}`,
		strings.Repeat("[", 201) + strings.Repeat("]", 201), strings.Repeat("[", 202) + strings.Repeat("]", 202)})
	for _, s := range docs {
		checkReader(t, []byte(s))
		if r, ok := NewJSONReader([]byte(s)); ok {
			if _, err := r.Value(); err == nil && r.Finish() == nil {
				took++
			}
		}
	}
	if took < 4 {
		t.Errorf("the reader took only %d documents", took)
	}
}

// A caller asking for one type gets ErrNotPlain for another.
func TestJSONReaderTypes(t *testing.T) {
	r, _ := NewJSONReader([]byte(`{"s": 1, "i": 1.5, "j": 12345678901234567890, "k": -42}`))
	var got []string
	err := r.Object(func(k string) error {
		switch k {
		case "s":
			_, err := r.String()
			got = append(got, fmt.Sprint(err))
			_, err = r.Value()
			return err
		case "i", "j":
			_, err := r.Int()
			got = append(got, fmt.Sprint(err))
			_, err = r.Value()
			return err
		}
		n, err := r.Int()
		got = append(got, fmt.Sprint(n))
		return err
	})
	want := []string{ErrNotPlain.Error(), ErrNotPlain.Error(), ErrNotPlain.Error(), "-42"}
	if err != nil || r.Finish() != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
}
