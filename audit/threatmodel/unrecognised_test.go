package threatmodel

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestSyntaxErrorsArePlaced(t *testing.T) {
	native := "schema: auditpack/model/v1\ntitle: t\ncomponents:\n  - {id: a, name: A, kind: process}\n  ,, ]\n"
	for _, c := range []struct {
		name, data string
		line, col  int
		reason     string
	}{
		// YAML reports the line where the list starts (3); the stray
		// commas are on line 5.
		{"m.yaml", native, 5, 3, "invalid YAML: did not find expected '-' indicator"},
		{"m.yaml", "schema: auditpack/model/v1\ntitle: x\xffy\n", 2, 9, "byte 0xFF is not valid UTF-8"},
		{"o.yaml", "otmVersion: 0.2.0\nproject: {name: \"\xff\"}\n", 2, 18, "byte 0xFF is not valid UTF-8"},
		{"td.json", "{\"summary\": {\"title\": \"t\"},\n \"detail\": {\"diagrams\": [NaN]}}", 2, 26, "invalid JSON: invalid character 'N'"},
		{"x.json", "{\"a\": 1} {", 1, 10, "data after the top-level value"},
	} {
		_, err := Decode(nil, c.name, []byte(c.data))
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%q: got %v, want a FormatError", c.data, err)
			continue
		}
		if fe.Line != c.line || fe.Column != c.col || !strings.Contains(fe.Reason, c.reason) || fe.File != c.name {
			t.Errorf("%q: got %s:%d:%d: %s, want %s:%d:%d: %s", c.data, fe.File, fe.Line, fe.Column, fe.Reason, c.name, c.line, c.col, c.reason)
		}
	}
}

func TestUnclaimedFileSaysWhyEachImporterRefused(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"schema: auditpack/model/v2\ntitle: t\n", "it looks like auditpack, which refused it:\nm:1: at /schema: value must be"},
		{`{"summary": {"title": "t"}}`, "it looks like threat-dragon, which refused it:\nm: at /detail: missing or not an object"},
		{"project: {name: p, id: p}\n", "it looks like otm, which refused it:\nm: at /otmVersion: missing"},
		{" \n", "m: the file is empty"},
		{"hello: world\n", "it has none of the fields that mark auditpack (schema: auditpack/model/v1), otm"},
	} {
		_, err := Decode(nil, "m", []byte(c.data))
		var fe *FormatError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want a FormatError containing %q", c.data, err, c.want)
		}
	}
}

func TestDecodeFileNamesFilesAsTheUserDid(t *testing.T) {
	fsys := fstest.MapFS{
		"main.yaml":         {Data: []byte("threagile_version: 1.0.0\ntitle: t\nincludes: [parts/assets.yaml]\n")},
		"parts/assets.yaml": {Data: []byte("technical_assets:\n  a: [oops\n")},
	}
	data := fsys["main.yaml"].Data
	_, err := DecodeFile(fsys, "main.yaml", "../project/main.yaml", data)
	var imported *ImportError
	if !errors.As(err, &imported) {
		t.Fatalf("got %T %v, want an ImportError", err, err)
	}
	if !strings.HasPrefix(err.Error(), "../project/parts/assets.yaml: ") {
		t.Errorf("got %q, want the include named from the working directory", err)
	}
	m, err := DecodeFile(fstest.MapFS{"m.yaml": {Data: []byte("schema: auditpack/model/v1\ntitle: t\n")}}, "m.yaml", "dir/m.yaml", []byte("schema: auditpack/model/v1\ntitle: t\n"))
	if err != nil || m.Source.File != "dir/m.yaml" {
		t.Errorf("got %v, %v; want Source.File dir/m.yaml", m, err)
	}
}
