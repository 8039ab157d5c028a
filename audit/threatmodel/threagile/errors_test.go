package threagile

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/auditpack/auditpack/audit/model"
)

const minimal = `threagile_version: 1.0.0
title: t
technical_assets:
  App:
    id: app
    type: process
`

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

func TestRefused(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		root string
		want string
	}{
		{"escape", fstest.MapFS{"m/main.yaml": file("threagile_version: 1.0.0\nincludes: [../secret.yaml]\n")},
			"m/main.yaml", `m/main.yaml: line 2: include "../secret.yaml" escapes the model's directory`},
		{"absolute", fstest.MapFS{"main.yaml": file("threagile_version: 1.0.0\nincludes:\n  - /etc/passwd\n")},
			"main.yaml", `main.yaml: line 3: include "/etc/passwd" must be a relative slash-separated path`},
		{"cycle", fstest.MapFS{
			"main.yaml": file("threagile_version: 1.0.0\nincludes: [a.yaml]\n"),
			"a.yaml":    file("includes: [b.yaml]\n"),
			"b.yaml":    file("includes: [a.yaml]\n"),
		}, "main.yaml", "b.yaml: line 1: include cycle: main.yaml → a.yaml → b.yaml → a.yaml"},
		{"missing include", fstest.MapFS{"main.yaml": file("threagile_version: 1.0.0\nincludes: [gone.yaml]\n")},
			"main.yaml", `main.yaml: line 2: include "gone.yaml": open gone.yaml: file does not exist`},
		{"syntax", fstest.MapFS{"main.yaml": file("threagile_version: 1.0.0\ntitle: [unclosed\n")},
			"main.yaml", "main.yaml: line 1: did not find expected ',' or ']'"},
		{"not a model", fstest.MapFS{"main.yaml": file("title: x\n")},
			"main.yaml", "main.yaml: not a Threagile model: no threagile_version"},
		{"top level list", fstest.MapFS{"main.yaml": file("- a\n- b\n")},
			"main.yaml", "main.yaml: line 1: expected a mapping, found a list"},
		{"bad type", fstest.MapFS{"main.yaml": file(minimal + "    internet: maybe\n")},
			"main.yaml", "main.yaml: line 4: technical_assets \"App\": line 7: cannot unmarshal !!str into bool"},
		{"bad kind", fstest.MapFS{"main.yaml": file(strings.Replace(minimal, "process", "robot", 1))},
			"main.yaml", `main.yaml: line 4: technical asset "App": type "robot" is not external-entity, process or datastore`},
		{"conflict", fstest.MapFS{
			"main.yaml": file(minimal + "includes: [b.yaml]\n"),
			"b.yaml":    file("technical_assets:\n  App:\n    id: other\n    type: process\n"),
		}, "main.yaml", `b.yaml: line 2: technical_assets "App" is already defined differently at main.yaml:4`},
		{"deep", fstest.MapFS{"main.yaml": file("threagile_version: 1\nx: " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n")},
			"main.yaml", "main.yaml: line 2: nesting is too deep (more than 64 levels)"},
		{"alias bomb", fstest.MapFS{"main.yaml": file(aliasBomb)},
			"main.yaml", "main.yaml: line 5: aliases expand to more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.fsys[tt.root].Data
			_, err := Decode(tt.fsys, tt.root, data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// aliasBomb expands to 10^9 entries when aliases are followed naively.
const aliasBomb = `threagile_version: 1.0.0
a: &a ["x","x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
data_assets:
  D:
    id: d
    tags: *h
`

func TestIncludesWithoutFS(t *testing.T) {
	_, err := Decode(nil, "main.yaml", []byte("threagile_version: 1.0.0\nincludes: [a.yaml]\n"))
	want := `main.yaml: line 2: cannot read include "a.yaml": no file system was given`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %q", err, want)
	}
}

func TestRepeatedIncludeAndBOM(t *testing.T) {
	fsys := fstest.MapFS{
		"main.yaml":  file("\xEF\xBB\xBFthreagile_version: 1.0.0\nincludes: [a.yaml, sub/b.yaml]\n"),
		"a.yaml":     file("technical_assets:\n  App:\n    id: app\n    type: process\n"),
		"sub/b.yaml": file("includes: [../a.yaml]\n"),
	}
	m, err := Decode(fsys, "main.yaml", fsys["main.yaml"].Data)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Components) != 1 || m.Components[0].Ref != "a.yaml:2:technical_assets.App" {
		t.Fatalf("components = %+v", m.Components)
	}
}

func TestAnchorsAndMergeKeys(t *testing.T) {
	src := `threagile_version: 1.0.0
data_assets:
  Base: &base
    id: base
    confidentiality: strictly-confidential
    tags: [pci, gdpr]
  Derived:
    <<: *base
    id: derived
technical_assets:
  Web: &web
    id: web
    type: process
    technology: web-application
    communication_links:
      To DB:
        target: db
        protocol: jdbc
        authentication: none
        data_assets_sent: [derived]
  DB:
    <<: *web
    id: db
    type: datastore
    technology: database
    communication_links:
`
	m, err := Decode(nil, "m.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	d := m.DataAssets[1]
	if d.ID != "derived" || !reflect.DeepEqual(d.Classifications, []string{"confidential", "pan", "pii"}) {
		t.Errorf("derived data asset = %+v", d)
	}
	if m.Components[0].Type != "web-app" || m.Components[1].Type != "database" || m.Components[1].Kind != model.KindDatastore {
		t.Errorf("components = %+v", m.Components)
	}
	if len(m.Flows) != 1 || m.Flows[0].Encrypted != model.False || m.Flows[0].Authenticated != model.False ||
		m.Flows[0].Data[0] != "derived" {
		t.Errorf("flows = %+v", m.Flows)
	}
}

func TestIDCollisionsArePrefixed(t *testing.T) {
	src := `threagile_version: 1.0.0
data_assets:
  Same:
    id: app
technical_assets:
  App:
    id: app
    type: process
    data_assets_processed: [app]
trust_boundaries:
  Net:
    id: app
    type: network-on-prem
    technical_assets_inside: [app]
risk_tracking:
  unknown-rule@nowhere:
    status: mitigated
`
	m, err := Decode(nil, "m.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if m.Zones[0].ID != "zone:app" || m.DataAssets[0].ID != "data:app" || m.Components[0].Zone != "zone:app" ||
		m.Components[0].Processes[0] != "data:app" {
		t.Fatalf("ids: zone %s data %s component %+v", m.Zones[0].ID, m.DataAssets[0].ID, m.Components[0])
	}
	if len(m.Warnings) != 2 || !strings.Contains(m.Warnings[0].Message, `"nowhere"`) {
		t.Fatalf("warnings = %+v", m.Warnings)
	}
}

func FuzzDecode(f *testing.F) {
	fsys := os.DirFS(samples)
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".yaml" {
			if data, err := fs.ReadFile(fsys, p); err == nil {
				f.Add(data)
			}
		}
		return nil
	})
	f.Add([]byte(aliasBomb))
	split := os.DirFS(filepath.Join(samples, "split-includes"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(split, "main.yaml", data)
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatal(err)
			}
			return
		}
		again, err := Decode(split, "main.yaml", data)
		if err != nil || !reflect.DeepEqual(m, again) {
			t.Fatalf("second decode differs: %v", err)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	const name = "threagile-example-model.yaml"
	data, err := os.ReadFile(filepath.Join(samples, name))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(nil, name, data); err != nil {
			b.Fatal(err)
		}
	}
}
