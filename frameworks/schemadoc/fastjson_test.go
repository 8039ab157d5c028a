package schemadoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
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
	lines := lineMap{}
	v, respelt, perr := parseJSON(data, maxDepth, lines)
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
	if !respelt && !reflect.DeepEqual(std, v) {
		// decode reads such a document's own bytes with encoding/json.
		t.Fatalf("%q: numbers not respelt, yet encoding/json reads other values\nfast %#v\nstd  %#v", data, v, std)
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
		if _, _, p := parseJSON([]byte(s), maxDepth, nil); p != nil {
			t.Errorf("%.40q: %v", s, p.Message)
		}
		checkFastPath(t, []byte(s))
	}
}

// surrogateEscape reports a \uD800-\uDFFF escape, which the YAML library
// refuses.
func surrogateEscape(data []byte) bool {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte(`\u`))
		if j < 0 {
			return false
		}
		i += j + 2
		if i+1 < len(data) && (data[i] == 'd' || data[i] == 'D') && bytes.IndexByte([]byte("89abABcdefCDEF"), data[i+1]) >= 0 {
			return true
		}
	}
}

// printable reports whether data is valid UTF-8 made only of characters the
// YAML decoder accepts everywhere and whose line breaks are "\n" or "\r\n",
// so that lines are counted alike on both paths.
func printable(data []byte) bool {
	for len(data) > 0 {
		if c := data[0]; c >= 0x20 && c < 0x7f || c == '\n' {
			data = data[1:]
			continue
		}
		r, n := utf8.DecodeRune(data)
		data = data[n:]
		switch {
		case r == utf8.RuneError && n == 1:
			return false
		case r == '\r' && (len(data) == 0 || data[0] != '\n'):
			return false // a lone CR is a line break to YAML
		case r == '\n' || r == '\r':
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0x2028 || r == 0x2029:
			return false // tabs and controls, and NEL, LS and PS, which YAML counts as line breaks
		case r >= 0xd800 && r < 0xe000, r == 0xfeff, r == 0xfffe, r == 0xffff:
			return false
		}
	}
	return true
}

// A number spelt otherwise than [Parse] gives it is noted, so that its
// document is decoded from the values, not from its bytes.
func TestRespelt(t *testing.T) {
	for s, want := range map[string]bool{`[1, -2, 0.5, 1e+21, "1.50"]`: false, `[1.50]`: true, `[1e3]`: true, `[-0]`: true, `[180.0]`: true} {
		if _, got, p := parseJSON([]byte(s), maxDepth, nil); p != nil || got != want {
			t.Errorf("%s: respelt %v (%v), want %v", s, got, p, want)
		}
	}
}

// An int field reads a number the document spells with an exponent, as
// it does when the same value is written in YAML.
func TestDecodeRespeltNumber(t *testing.T) {
	var out struct {
		N int            `json:"n"`
		F map[string]any `json:"f"`
	}
	if _, err := Decode("d.json", []byte(`{"n": 1e3, "f": {"x": 1.50}}`), nil, &out); err != nil || out.N != 1000 || out.F["x"] != json.Number("1.5") {
		t.Fatalf("got %+v, %v", out, err)
	}
}
