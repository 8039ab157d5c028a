package schemadoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
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

// The JSON path takes what encoding/json takes (but for duplicate keys,
// deep nesting and numbers out of range, which it refuses), with the same
// values; where the YAML path reads the document too, it gives the same
// values and lines.
func TestFastJSONMatchesYAML(t *testing.T) {
	for _, s := range fastSeeds {
		checkFastPath(t, []byte(s))
	}
}

func checkFastPath(t *testing.T, data []byte) {
	if !looksJSON(data) || !utf8.Valid(data) {
		return
	}
	v, lines, perr := parseJSON(data, maxDepth, 0)
	var std any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	stdErr := dec.Decode(&std)
	if stdErr == nil {
		if _, err := dec.Token(); err != io.EOF {
			stdErr = errors.New("trailing data")
		}
	}
	if perr != nil {
		if perr.Line < 1 || perr.Message == "" {
			t.Fatalf("%q: problem without a place: %+v", data, perr)
		}
		// Deliberate differences: duplicate keys, nesting beyond the
		// limit, non-finite numbers and lone surrogates (which
		// encoding/json turns into U+FFFD) are refused.
		if stdErr == nil && !strings.Contains(perr.Message, "twice") && !strings.Contains(perr.Message, "deep") &&
			!strings.Contains(perr.Message, "finite") && !strings.Contains(perr.Message, "lone surrogate") {
			t.Fatalf("%q: refused what encoding/json takes: %v", data, perr.Message)
		}
		return
	}
	if stdErr != nil {
		t.Fatalf("%q: took what encoding/json refuses: %v", data, stdErr)
	}
	if !reflect.DeepEqual(normalise(std), v) {
		t.Fatalf("%q: values differ from encoding/json\nfast %#v\nstd  %#v", data, v, std)
	}
	if !printable(data) || surrogateEscape(data) {
		return
	}
	want, wantLines, werr := parseYAML("doc", data, DefaultLimits)
	if werr != nil {
		return // JSON the YAML library cannot read (long or split keys, \/)
	}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("%q: values differ\nfast %#v\nyaml %#v", data, v, want)
	}
	if !reflect.DeepEqual(lines, wantLines) {
		t.Fatalf("%q: lines differ\nfast %v\nyaml %v", data, lines, wantLines)
	}
}

// normalise gives encoding/json's numbers the spelling Parse gives them.
func normalise(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = normalise(e)
		}
	case []any:
		for i, e := range t {
			t[i] = normalise(e)
		}
	case json.Number:
		n, _ := number(string(t))
		return n
	}
	return v
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
// colon by a line break) is still JSON, and read as JSON.
func TestFastJSONLongAndSplitKeys(t *testing.T) {
	long := `{"` + strings.Repeat("k", 1100) + `": 1}`
	for _, s := range []string{long, "{\"a\"\n: 1}"} {
		if _, _, p := parseJSON([]byte(s), maxDepth, 0); p != nil {
			t.Errorf("%.40q: %v", s, p.Message)
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
	want, _, perr := parseJSON(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), maxDepth, 0)
	if perr != nil {
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
