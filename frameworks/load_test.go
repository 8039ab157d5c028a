package frameworks

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// miniCatalog returns a small valid catalog file; extra is spliced into "framework".
func miniCatalog(id, version, extra string) string {
	return fmt.Sprintf(`{
  "schema": "auditpack/framework-catalog/v1",
  "framework": {
    "id": %q, "version": %q, %s
    "title": "Demo framework", "publisher": "Demo", "content_policy": "ids-and-short-labels",
    "license": {"spdx": "CC0-1.0", "notice": "Demo data."}
  },
  "node_kinds": ["group", "control"],
  "nodes": [
    {"id": "1", "kind": "group", "parent": null, "title": "One"},
    {"id": "1.1", "kind": "control", "parent": "1", "label": "First", "assessable": true},
    {"id": "1.2", "kind": "control", "parent": "1", "assessable": true}
  ]
}
`, id, version, extra)
}

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

func TestLoadValid(t *testing.T) {
	r, err := Load(fstest.MapFS{
		"demo.catalog.json": file(miniCatalog("demo", "1", "")),
		"README.md":         file("not a catalog"),
		"other.json":        file("{"),
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Lookup("demo")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c.Controls()); got != 2 {
		t.Errorf("controls: got %d, want 2", got)
	}
	if c.LicenseSPDX != "CC0-1.0" || c.ContentPolicy != "ids-and-short-labels" || c.Publisher != "Demo" {
		t.Errorf("framework fields not carried over: %+v", c)
	}
}

func TestLoadMalformed(t *testing.T) {
	good := miniCatalog("demo", "1", "")
	for _, tc := range []struct {
		name, old, new string
		want           []string // substrings of the error, besides the file name
	}{
		{"unknown node member", `"label": "First",`, `"label": "First", "text": "copied",`, []string{"/nodes/1:", "text"}},
		{"old format name", FormatVersion, "tmcomp/framework-catalog/v1", []string{"/schema:"}},
		{"bad node id", `"id": "1.2"`, `"id": "1 2"`, []string{"/nodes/2/id:"}},
		{"label too long", `"First"`, `"` + strings.Repeat("x", 81) + `"`, []string{"/nodes/1/label:"}},
		{"wrong type", `"label": "First", "assessable": true`, `"label": "First", "assessable": "yes"`, []string{"/nodes/1/assessable:"}},
		{"missing framework member", `"publisher": "Demo",`, ``, []string{"/framework:", "publisher"}},
		{"unknown parent", `"parent": "1", "label"`, `"parent": "9", "label"`, []string{"/nodes/1/parent:", `unknown parent "9"`}},
		{"empty parent", `"parent": "1", "label"`, `"parent": "", "label"`, []string{"/nodes/1/parent:", "null"}},
		{"own parent", `"id": "1.2", "kind": "control", "parent": "1"`, `"id": "1.2", "kind": "control", "parent": "1.2"`, []string{"/nodes/2/parent:", "own parent"}},
		{"duplicate id", `"id": "1.2"`, `"id": "1.1"`, []string{"/nodes/2/id:", `duplicate id "1.1"`, "/nodes/1"}},
		{"undeclared kind", `"id": "1.2", "kind": "control"`, `"id": "1.2", "kind": "ctrl"`, []string{"/nodes/2/kind:", `"ctrl"`}},
		{"cycle", `"kind": "group", "parent": null`, `"kind": "group", "parent": "1.1"`, []string{"/nodes/", "loops back"}},
		{"line break in title", `"One"`, `"One\nTwo"`, []string{"/nodes/0/title:", "control character"}},
		{"padded label", `"First"`, `" First"`, []string{"/nodes/1/label:", "white space"}},
		{"nothing assessable", `"assessable": true`, `"assessable": false`, []string{"/nodes:", "assessable"}},
		{"ids-only with names", `"ids-and-short-labels"`, `"ids-only"`, []string{"/nodes/0:", "ids-only"}},
		{"syntax error", `"kind": "group",`, `"kind": "group"`, []string{"line 10, column"}},
		{"trailing data", "\n}\n", "\n}\n{}", []string{"line 15, column 1", "after the top-level value"}},
		{"truncated", "\n}\n", "\n", []string{"unexpected end of file"}},
		{"invalid UTF-8", `"First"`, "\"Fi\xffrst\"", []string{"UTF-8"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(good, tc.old, tc.new, 1)
			if tc.name == "nothing assessable" {
				bad = strings.ReplaceAll(good, tc.old, tc.new)
			}
			if bad == good {
				t.Fatalf("mutation %q did not apply", tc.old)
			}
			_, err := Load(fstest.MapFS{"dir/bad.catalog.json": file(bad)})
			if err == nil {
				t.Fatal("Load accepted a malformed catalog")
			}
			for _, w := range append(tc.want, "frameworks: dir/bad.catalog.json: ") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
			var fe *FileError
			if !errors.As(err, &fe) || fe.File != "dir/bad.catalog.json" {
				t.Errorf("error is not a *FileError for the file: %#v", err)
			}
		})
	}
}

func TestLoadPointerField(t *testing.T) {
	bad := strings.Replace(miniCatalog("demo", "1", ""), `"parent": "1", "label"`, `"parent": "9", "label"`, 1)
	_, err := Load(fstest.MapFS{"x.catalog.json": file(bad)})
	var fe *FileError
	if !errors.As(err, &fe) || fe.Pointer != "/nodes/1/parent" {
		t.Fatalf("want FileError at /nodes/1/parent, got %#v", err)
	}
}

func TestLoadReportsEveryFile(t *testing.T) {
	good := miniCatalog("demo", "1", "")
	_, err := Load(fstest.MapFS{
		"a.catalog.json": file(strings.Replace(good, `"id": "1.2"`, `"id": "1.1"`, 1)),
		"b.catalog.json": file("{"),
		"c.catalog.json": file(miniCatalog("fine", "1", "")),
	})
	if err == nil {
		t.Fatal("Load accepted malformed catalogs")
	}
	for _, w := range []string{"a.catalog.json: /nodes/2/id", "b.catalog.json: "} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not mention %q:\n%v", w, err)
		}
	}
}

func TestLoadRefusals(t *testing.T) {
	for name, tc := range map[string]struct {
		fsys fstest.MapFS
		want string
	}{
		"empty":       {fstest.MapFS{"README.md": file("x")}, "no *.catalog.json files"},
		"symlink":     {fstest.MapFS{"l.catalog.json": &fstest.MapFile{Data: []byte("x"), Mode: fs.ModeSymlink}}, "l.catalog.json: not a regular file"},
		"too large":   {fstest.MapFS{"big.catalog.json": file(strings.Repeat(" ", MaxFileSize+1))}, "big.catalog.json: larger than"},
		"no controls": {fstest.MapFS{"n.catalog.json": file(`{"schema": "auditpack/framework-catalog/v1"}`)}, "n.catalog.json: /:"},
	} {
		_, err := Load(tc.fsys)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want error containing %q, got %v", name, tc.want, err)
		}
	}
}

func TestSchemaIsEmbedded(t *testing.T) {
	s := Schema()
	if !strings.Contains(string(s), FormatVersion) {
		t.Fatal("embedded schema does not pin the format version")
	}
	s[0] = 'x'
	if Schema()[0] == 'x' {
		t.Fatal("Schema returned the package's own bytes")
	}
}
