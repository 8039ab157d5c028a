package schemadoc

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

const schema = `{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
 "properties": {"name": {"type": "string"}, "n": {"type": "integer"}, "list": {"type": "array", "items": {"type": "string", "maxLength": 3}}},
 "additionalProperties": false}`

type doc struct {
	Name string   `json:"name"`
	N    int      `json:"n"`
	List []string `json:"list"`
}

func TestYAML12Semantics(t *testing.T) {
	v, _, err := Parse("x.yaml", []byte("a: on\nb: yes\nc: no\nd: true\ne: 0o17\nf: 1.10\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	for k, want := range map[string]any{"a": "on", "b": "yes", "c": "no", "d": true, "e": json.Number("15"), "f": json.Number("1.1")} {
		if m[k] != want {
			t.Errorf("%s: got %#v, want %#v", k, m[k], want)
		}
	}
}

func TestMergeKeysAndAnchors(t *testing.T) {
	src := "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n"
	v, _, err := Parse("m.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	use := v.(map[string]any)["use"].(map[string]any)
	if use["x"] != json.Number("1") || use["y"] != json.Number("3") {
		t.Fatalf("merge: got %v", use)
	}
}

func TestErrorsNameFileLineAndPointer(t *testing.T) {
	s := MustCompile("t.json", []byte(schema))
	tests := []struct{ src, want string }{
		{"name: a\nlist:\n  - ok\n  - toolong\n", "d.yaml:4: at /list/1:"},
		{"name: a\nextra: 1\n", "d.yaml:2: additionalProperties 'extra' not allowed"},
		{"name: a\nname: b\n", "appears twice"},
		{"name: [unclosed\n", "d.yaml:"},
		{"", "document is empty"},
		{"\xef\xbb\xbfname: 5\n", "d.yaml:1: at /name"},
	}
	for _, tt := range tests {
		var d doc
		_, err := Decode("d.yaml", []byte(tt.src), s, &d)
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: want an *Error containing %q, got %v", tt.src, tt.want, err)
		}
	}
}

func TestJSONIsReadToo(t *testing.T) {
	s := MustCompile("t.json", []byte(schema))
	var d doc
	if _, err := Decode("d.json", []byte(`{"name": "x", "n": 3, "list": ["a"]}`), s, &d); err != nil || d.N != 3 {
		t.Fatalf("got %+v, %v", d, err)
	}
}

func TestDepthLimit(t *testing.T) {
	src := strings.Repeat("[", 300) + strings.Repeat("]", 300)
	if _, _, err := Parse("deep.json", []byte(src)); err == nil || !strings.Contains(err.Error(), "too deep") {
		t.Fatalf("want a depth error, got %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("a: 1\nb: [x, y]\n"))
	f.Add([]byte(`{"a": {"b": null}}`))
	f.Add([]byte("x: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, lines, err := Parse("f", data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		if _, err := json.Marshal(v); err != nil {
			t.Fatalf("parsed value does not marshal: %v", err)
		}
		_ = lines.Line("/a/b")
	})
}

// An alias bomb is refused quickly instead of expanding into billions of
// values.
func TestAliasBombRefused(t *testing.T) {
	doc := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	for i, prev := 'b', 'a'; i <= 'j'; i, prev = i+1, i {
		doc += fmt.Sprintf("%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", i, i, prev, prev, prev, prev, prev, prev, prev, prev, prev)
	}
	_, _, err := Parse("bomb.yaml", []byte(doc))
	if err == nil || !strings.Contains(err.Error(), "alias bomb") {
		t.Fatalf("got %v", err)
	}
	// Ordinary aliases and merge keys still work.
	if _, _, err := Parse("ok.yaml", []byte("base: &b {x: 1}\nuse: {<<: *b, y: 2}\nlist: [*b, *b]\n")); err != nil {
		t.Fatal(err)
	}
}
