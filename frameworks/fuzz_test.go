package frameworks

import (
	"strings"
	"testing"
	"testing/fstest"
)

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{
		"pci-dss@4.0.1:4.2.1", "aicpa-tsc@2017-pof2022:CC6.1", "x@1:AC-2(1)",
		"", "@", ":", "a@b", "a:b@c", "a@b:c:d", "a@@b:c", "pci-dss@4.0.1:4.2.1\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		fw, ver, node, err := ParseRef(ref)
		if err != nil {
			if fw != "" || ver != "" || node != "" {
				t.Fatalf("ParseRef(%q) returned parts with an error", ref)
			}
			return
		}
		if fw == "" || ver == "" || node == "" {
			t.Fatalf("ParseRef(%q) accepted an empty part: %q %q %q", ref, fw, ver, node)
		}
		if got := fw + "@" + ver + ":" + node; got != ref {
			t.Fatalf("ParseRef(%q) does not round-trip: %q", ref, got)
		}
		if strings.ContainsAny(fw+ver+node, " \t\r\n@:") || strings.Contains(fw+ver, ":") {
			t.Fatalf("ParseRef(%q) accepted a separator inside a part", ref)
		}
	})
}

func FuzzCompareIDs(f *testing.F) {
	for _, p := range [][3]string{
		{"1.2.9", "1.2.10", "A1.1"}, {"CC1.1", "P1.1", "PI1.1"}, {"AC-2(1)", "AC-2", "1.01"}, {"", ".", "a..b"},
	} {
		f.Add(p[0], p[1], p[2])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		ab, ba := CompareIDs(a, b), CompareIDs(b, a)
		if ab != -ba {
			t.Fatalf("not antisymmetric: (%q, %q) = %d, reversed %d", a, b, ab, ba)
		}
		if (ab == 0) != (a == b) {
			t.Fatalf("CompareIDs(%q, %q) = %d but the strings differ or match", a, b, ab)
		}
		if ab <= 0 && CompareIDs(b, c) <= 0 && CompareIDs(a, c) > 0 {
			t.Fatalf("not transitive: %q <= %q <= %q but %q > %q", a, b, c, a, c)
		}
	})
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(miniCatalog("demo", "1", "")))
	f.Add([]byte(miniCatalog("demo", "1", `"aliases": ["d"],`)))
	f.Add([]byte(`{"schema": "auditpack/framework-catalog/v1"}`))
	f.Add([]byte("{"))
	f.Add([]byte(""))
	for _, name := range []string{"catalogs/pci-dss-4.0.1.catalog.json", "catalogs/soc2-tsc-2017.catalog.json"} {
		data, err := embedded.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Load(fstest.MapFS{"f.catalog.json": &fstest.MapFile{Data: data}})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "frameworks: f.catalog.json: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, c := range r.Catalogs() {
			if _, err := r.Lookup(c.Ref()); err != nil {
				t.Fatalf("loaded catalog %s cannot be looked up: %v", c.Ref(), err)
			}
			prev := ""
			for i, n := range c.Controls() {
				if i > 0 && CompareIDs(prev, n.ID) >= 0 {
					t.Fatalf("controls out of order: %q before %q", prev, n.ID)
				}
				prev = n.ID
				if len(c.Ancestors(n.ID)) >= len(c.Nodes) {
					t.Fatalf("ancestor chain of %q too long", n.ID)
				}
			}
			for _, n := range c.Nodes {
				if n.Parent != "" {
					if _, ok := c.Node(n.Parent); !ok {
						t.Fatalf("node %q has unknown parent %q", n.ID, n.Parent)
					}
				}
			}
		}
	})
}
