package frameworks

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLookupNamesAndAliases(t *testing.T) {
	r, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, want string }{
		{"pci-dss", "pci-dss@4.0.1"},
		{"pci-dss@4.0.1", "pci-dss@4.0.1"},
		{"PCI-DSS", "pci-dss@4.0.1"},
		{"pci", "pci-dss@4.0.1"},
		{"Pci@4.0.1", "pci-dss@4.0.1"},
		{"pci-dss-4", "pci-dss@4.0.1"},
		{" pci ", "pci-dss@4.0.1"},
		{"soc2", "aicpa-tsc@2017-pof2022"},
		{"SOC-2", "aicpa-tsc@2017-pof2022"},
		{"tsc", "aicpa-tsc@2017-pof2022"},
		{"aicpa-tsc", "aicpa-tsc@2017-pof2022"},
		{"aicpa-tsc@2017-POF2022", "aicpa-tsc@2017-pof2022"},
	} {
		c, err := r.Lookup(tc.name)
		if err != nil {
			t.Errorf("Lookup(%q): %v", tc.name, err)
			continue
		}
		if c.Ref() != tc.want {
			t.Errorf("Lookup(%q) = %s, want %s", tc.name, c.Ref(), tc.want)
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	r, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		is   error
		want []string
	}{
		{"cis-controls", ErrUnknownFramework, []string{`"cis-controls"`, "pci-dss@4.0.1 (aliases: pci, pci-dss-4)", "aicpa-tsc@2017-pof2022 (aliases: soc2, soc-2, tsc)", "(baselines: #low, #moderate, #high, #privacy)"}},
		{"", ErrUnknownFramework, []string{"known:"}},
		{"pci-dss@3.2.1", ErrUnknownVersion, []string{`"3.2.1"`, "available: 4.0.1"}},
		{"pci-dss@4.0.1:4.2.1", ErrUnknownVersion, []string{`"4.0.1:4.2.1"`}},
	} {
		_, err := r.Lookup(tc.name)
		if err == nil {
			t.Errorf("Lookup(%q) succeeded", tc.name)
			continue
		}
		if !errors.Is(err, tc.is) {
			t.Errorf("Lookup(%q) = %v, want errors.Is %v", tc.name, err, tc.is)
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "frameworks: ") {
			t.Errorf("Lookup(%q) error lacks package prefix: %s", tc.name, msg)
		}
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("Lookup(%q) error %q does not mention %q", tc.name, msg, w)
			}
		}
	}
}

func TestResolve(t *testing.T) {
	r, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ ref, catalog, node, label string }{
		{"pci-dss@4.0.1:4.2.1", "pci-dss@4.0.1", "4.2.1", "Strong cryptography for PAN over public networks"},
		{"aicpa-tsc@2017-pof2022:CC6.1", "aicpa-tsc@2017-pof2022", "CC6.1", "Logical access security over protected assets"},
		{"pci@4.0.1:A3.5.1", "pci-dss@4.0.1", "A3.5.1", ""},
		{"SOC2@2017-pof2022:P8.1", "aicpa-tsc@2017-pof2022", "P8.1", ""},
		{"pci-dss@4.0.1:G2", "pci-dss@4.0.1", "G2", ""}, // groupings resolve too
	} {
		c, n, err := r.Resolve(tc.ref)
		if err != nil {
			t.Errorf("Resolve(%q): %v", tc.ref, err)
			continue
		}
		if c.Ref() != tc.catalog || n.ID != tc.node || (tc.label != "" && n.Label != tc.label) {
			t.Errorf("Resolve(%q) = %s, %+v", tc.ref, c.Ref(), n)
		}
	}
	for _, tc := range []struct {
		ref  string
		is   error
		want []string
	}{
		{"cis@8.1:1.1", ErrUnknownFramework, []string{`"cis"`, "known:"}},
		{"pci-dss@3.2.1:1.1.1", ErrUnknownVersion, []string{"pci-dss@3.2.1:1.1.1", `"3.2.1"`, "available: 4.0.1"}},
		{"pci-dss@4.0.1:13.1", ErrUnknownNode, []string{`"13.1"`, "pci-dss@4.0.1"}},
		{"aicpa-tsc@2017-pof2022:cc6.1", ErrUnknownNode, []string{`did you mean "CC6.1"`}},
		{"pci-dss:4.2.1", ErrBadRef, []string{`missing "@<version>"`}},
		{"pci-dss@4.0.1", ErrBadRef, []string{`missing ":<node>"`}},
		{"", ErrBadRef, []string{"empty"}},
	} {
		_, _, err := r.Resolve(tc.ref)
		if err == nil {
			t.Errorf("Resolve(%q) succeeded", tc.ref)
			continue
		}
		if !errors.Is(err, tc.is) {
			t.Errorf("Resolve(%q) = %v, want errors.Is %v", tc.ref, err, tc.is)
		}
		for _, w := range append(tc.want, "frameworks: ") {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Resolve(%q) error %q does not mention %q", tc.ref, err, w)
			}
		}
	}
}

func TestCatalogsSortedAndNames(t *testing.T) {
	r, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range r.Catalogs() {
		ids = append(ids, c.ID)
	}
	want := []string{"aicpa-tsc", "hipaa-security-rule", "iso-iec-27001", "nist-csf", "nist-sp800-53", "pci-dss"}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Fatalf("Catalogs() = %v, want %v", ids, want)
	}
	names := strings.Join(r.Names(), " ")
	for _, w := range []string{"pci", "pci-dss", "pci-dss-4", "pci-dss@4.0.1", "soc2@2017-pof2022", "tsc",
		"nist-800-53-moderate", "nist-sp800-53#low", "nist-sp800-53@5.1.1#high", "hipaa", "csf", "iso27001"} {
		if !strings.Contains(" "+names+" ", " "+w+" ") {
			t.Errorf("Names() lacks %q: %s", w, names)
		}
	}
}

func TestRegistryConflicts(t *testing.T) {
	v1 := miniCatalog("demo", "1.0", `"aliases": ["dm"],`)
	v2 := miniCatalog("demo", "2.0", `"aliases": ["dm"],`)
	r, err := Load(fstest.MapFS{"a/v1.catalog.json": file(v1), "b/v2.catalog.json": file(v2)})
	if err != nil {
		t.Fatalf("two versions of one framework: %v", err)
	}
	if _, err := r.Lookup("demo"); !errors.Is(err, ErrUnknownVersion) || !strings.Contains(err.Error(), "1.0, 2.0") {
		t.Errorf("unpinned lookup with two versions: %v", err)
	}
	if c, err := r.Lookup("dm@2.0"); err != nil || c.Version != "2.0" {
		t.Errorf("Lookup(dm@2.0) = %v, %v", c, err)
	}

	for name, fsys := range map[string]fstest.MapFS{
		"defined twice": {"a.catalog.json": file(v1), "b.catalog.json": file(v1)},
		"claimed by both": {
			"a.catalog.json": file(v1),
			"b.catalog.json": file(miniCatalog("other", "1", `"aliases": ["dm"],`)),
		},
	} {
		if _, err := Load(fsys); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("want error %q, got %v", name, err)
		}
	}
}
