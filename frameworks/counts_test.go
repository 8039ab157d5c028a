package frameworks

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestISO27001Counts(t *testing.T) {
	c := builtinCatalog(t, "iso27001")
	perTheme := map[string]int{}
	for _, n := range c.Controls() {
		if n.Kind != "control" || n.Title == "" || n.Label != "" {
			t.Errorf("%s: want a control with a short title and no label, got %+v", n.ID, n)
		}
		perTheme[n.Parent]++
	}
	if got := len(c.Controls()); got != 93 {
		t.Errorf("controls: got %d, want 93", got)
	}
	if want := map[string]int{"A.5": 37, "A.6": 8, "A.7": 14, "A.8": 34}; !reflect.DeepEqual(perTheme, want) {
		t.Errorf("controls per theme: got %v, want %v", perTheme, want)
	}
	if c.ContentPolicy != "ids-and-short-titles" {
		t.Errorf("content policy %q: ISO text beyond short titles must never be shipped", c.ContentPolicy)
	}
	ctl := c.Controls()
	if ctl[0].ID != "A.5.1" || ctl[len(ctl)-1].ID != "A.8.34" {
		t.Errorf("ISO controls run %s..%s, want A.5.1..A.8.34", ctl[0].ID, ctl[len(ctl)-1].ID)
	}
}

func TestSP80053Counts(t *testing.T) {
	c := builtinCatalog(t, "nist-sp800-53@5.1.1")
	kinds := map[string]int{}
	withdrawn := 0
	for _, n := range c.Nodes {
		kinds[n.Kind]++
		if n.Props["status"] == "withdrawn" {
			withdrawn++
			if n.Assessable {
				t.Errorf("%s is withdrawn but assessable", n.ID)
			}
			if _, ok := n.Props["baselines"]; ok {
				t.Errorf("%s is withdrawn but in a baseline", n.ID)
			}
		} else if n.Kind != "family" && !n.Assessable {
			t.Errorf("%s is active but not assessable", n.ID)
		}
	}
	if want := map[string]int{"family": 20, "control": 323, "enhancement": 870}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("nodes per kind: got %v, want %v", kinds, want)
	}
	if withdrawn != 182 {
		t.Errorf("withdrawn: got %d, want 182", withdrawn)
	}
	if got := len(c.Controls()); got != 1011 {
		t.Errorf("active controls and enhancements: got %d, want 1011", got)
	}
	// A withdrawn control still resolves, so an old reference gets a precise
	// answer, but it is never a control to assess.
	n, ok := c.Node("AC-2(10)")
	if !ok || n.Assessable || n.Props["status"] != "withdrawn" {
		t.Errorf("AC-2(10): %+v", n)
	}
	if got := n.Props["incorporated_into"]; !reflect.DeepEqual(got, []any{"AC-2"}) {
		t.Errorf("AC-2(10) incorporated_into = %v, want [AC-2]", got)
	}
	if n, _ := c.Node("IA-13"); !n.Assessable || n.Props["since"] != "5.1.1" {
		t.Errorf("IA-13 (new in 5.1.1): %+v", n)
	}
}

func TestSP80053Baselines(t *testing.T) {
	full := builtinCatalog(t, "nist-sp800-53")
	active := map[string]bool{}
	for _, n := range full.Controls() {
		active[n.ID] = true
	}
	for _, tc := range []struct {
		id    string
		count int
		in    []string
		out   []string
	}{
		{"low", 149, []string{"AC-3", "SC-7", "SC-13", "IA-2(1)"}, []string{"SC-7(5)", "SC-8", "SC-8(1)", "PT-2"}},
		{"moderate", 287, []string{"SC-7(5)", "SC-8(1)", "IA-2(1)", "CP-9"}, []string{"AC-2(11)", "PT-2"}},
		{"high", 370, []string{"AC-2(11)", "SC-7(5)"}, []string{"PT-2"}},
		{"privacy", 96, []string{"PT-2", "AC-3(14)"}, []string{"SC-7", "AC-3"}},
	} {
		b, err := full.Baseline(tc.id)
		if err != nil {
			t.Fatalf("Baseline(%q): %v", tc.id, err)
		}
		if got := len(b.Controls()); got != tc.count {
			t.Errorf("%s: %d controls, want %d", tc.id, got, tc.count)
		}
		for _, n := range b.Controls() {
			if !active[n.ID] {
				t.Errorf("%s: %s is in the baseline but not an active control", tc.id, n.ID)
			}
		}
		for _, id := range tc.in {
			if n, _ := b.Node(id); !n.Assessable {
				t.Errorf("%s: %s should be assessable", tc.id, id)
			}
		}
		for _, id := range tc.out {
			if n, ok := b.Node(id); !ok || n.Assessable {
				t.Errorf("%s: %s should be present but not assessable (%v)", tc.id, id, ok)
			}
		}
		if b.Ref() != full.Ref() || b.Selector() != full.Ref()+"#"+tc.id || b.BaselineID != tc.id {
			t.Errorf("%s: Ref %s, Selector %s", tc.id, b.Ref(), b.Selector())
		}
		if b.ControlRef("SC-7") != "nist-sp800-53@5.1.1:SC-7" {
			t.Errorf("%s: control references must not change with the baseline: %s", tc.id, b.ControlRef("SC-7"))
		}
		if !strings.Contains(b.Title, strings.ToUpper(tc.id)) && !strings.Contains(b.Title, tc.id) {
			t.Errorf("%s: title %q does not name the baseline", tc.id, b.Title)
		}
	}
	// The baseline is a copy: the whole catalog is unchanged.
	if got := len(full.Controls()); got != 1011 {
		t.Errorf("whole catalog changed by Baseline: %d controls", got)
	}
	// A baseline of a baseline is the second baseline, titled once.
	low, _ := full.Baseline("low")
	high, err := low.Baseline("HIGH")
	if err != nil || len(high.Controls()) != 370 || strings.Count(high.Title, "baseline") != 1 {
		t.Errorf("low -> high: %v, %d controls, title %q", err, len(high.Controls()), high.Title)
	}
	if _, err := full.Baseline("medium"); !errors.Is(err, ErrUnknownBaseline) ||
		!strings.Contains(err.Error(), "available: low, moderate, high, privacy") {
		t.Errorf("unknown baseline: %v", err)
	}
}

func TestCSFCounts(t *testing.T) {
	c := builtinCatalog(t, "csf")
	kinds := map[string]int{}
	for _, n := range c.Nodes {
		kinds[n.Kind]++
		st, _ := n.Props["statement"].(string)
		if st == "" {
			t.Errorf("%s has no outcome statement", n.ID)
		}
		if n.Assessable != (n.Kind == "subcategory") {
			t.Errorf("%s: only subcategories are assessable", n.ID)
		}
	}
	if want := map[string]int{"function": 6, "category": 22, "subcategory": 106}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("nodes per kind: got %v, want %v", kinds, want)
	}
	var functions []string
	for _, n := range c.Children("") {
		functions = append(functions, n.ID)
	}
	if want := []string{"GV", "ID", "PR", "DE", "RS", "RC"}; !reflect.DeepEqual(functions, want) {
		t.Errorf("functions: got %v, want %v", functions, want)
	}
	ctl := c.Controls()
	if ctl[0].ID != "GV.OC-01" || ctl[len(ctl)-1].ID != "RC.RP-06" {
		t.Errorf("CSF subcategories run %s..%s, want GV.OC-01..RC.RP-06", ctl[0].ID, ctl[len(ctl)-1].ID)
	}
	// Identifiers CSF 2.0 withdrew are not part of the catalog.
	for _, id := range []string{"ID.BE-01", "PR.AC-01", "PR.DS-05", "ID.AM-06", "PR.IP"} {
		if _, ok := c.Node(id); ok {
			t.Errorf("withdrawn CSF 1.1 id %s is in the catalog", id)
		}
	}
}

func TestHIPAACounts(t *testing.T) {
	c := builtinCatalog(t, "hipaa")
	standards := map[string]int{}
	specs := map[string]map[string]int{} // section -> designation -> count
	for _, n := range c.Controls() {
		section := rootOf(c, n.ID)
		switch n.Kind {
		case "standard":
			standards[section]++
		case "implementation-specification":
			d, _ := n.Props["designation"].(string)
			if specs[section] == nil {
				specs[section] = map[string]int{}
			}
			specs[section][d]++
		default:
			t.Errorf("assessable node %s has kind %q", n.ID, n.Kind)
		}
	}
	if want := map[string]int{"164.308": 9, "164.310": 4, "164.312": 5, "164.314": 2, "164.316": 2}; !reflect.DeepEqual(standards, want) {
		t.Errorf("standards per section: got %v, want %v", standards, want)
	}
	req, addr := 0, 0
	for _, s := range []string{"164.308", "164.310", "164.312"} {
		req += specs[s]["required"]
		addr += specs[s]["addressable"]
	}
	if req != 14 || addr != 22 {
		t.Errorf("safeguard specifications: %d required, %d addressable; want 14 and 22", req, addr)
	}
	other := specs["164.314"]["required"] + specs["164.316"]["required"]
	if other != 7 || len(specs["164.314"])+len(specs["164.316"]) != 2 {
		t.Errorf("164.314/164.316 specifications: %v %v, want 7 required", specs["164.314"], specs["164.316"])
	}
	if got := len(c.Controls()); got != 22+36+7 {
		t.Errorf("assessable: got %d, want 65 (standards and specifications)", got)
	}
}

func TestLookupNewFrameworks(t *testing.T) {
	r, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, selector string
		controls       int
	}{
		{"iso27001", "iso-iec-27001@2022", 93},
		{"ISO-27001", "iso-iec-27001@2022", 93},
		{"iso-iec-27001@2022", "iso-iec-27001@2022", 93},
		{"nist-800-53", "nist-sp800-53@5.1.1", 1011},
		{"800-53", "nist-sp800-53@5.1.1", 1011},
		{"nist-sp800-53@5.1.1", "nist-sp800-53@5.1.1", 1011},
		{"nist-800-53-moderate", "nist-sp800-53@5.1.1#moderate", 287},
		{"800-53-low", "nist-sp800-53@5.1.1#low", 149},
		{"nist-800-53-high@5.1.1", "nist-sp800-53@5.1.1#high", 370},
		{"nist-sp800-53@5.1.1#privacy", "nist-sp800-53@5.1.1#privacy", 96},
		{"800-53#Moderate", "nist-sp800-53@5.1.1#moderate", 287},
		{"nist-800-53-low#low", "nist-sp800-53@5.1.1#low", 149},
		{"csf", "nist-csf@2.0", 106},
		{"nist-csf@2.0", "nist-csf@2.0", 106},
		{"hipaa", "hipaa-security-rule@2013", 65},
		{"HIPAA-Security-Rule@2013", "hipaa-security-rule@2013", 65},
	} {
		c, err := r.Lookup(tc.name)
		if err != nil {
			t.Errorf("Lookup(%q): %v", tc.name, err)
			continue
		}
		if c.Selector() != tc.selector || len(c.Controls()) != tc.controls {
			t.Errorf("Lookup(%q) = %s with %d controls, want %s with %d", tc.name, c.Selector(), len(c.Controls()), tc.selector, tc.controls)
		}
	}
	for _, tc := range []struct {
		name string
		want string
	}{
		{"nist-800-53#medium", "available: low, moderate, high, privacy"},
		{"pci-dss#low", "available: none"},
		{"nist-800-53-low#high", "already selects baseline low"},
	} {
		_, err := r.Lookup(tc.name)
		if !errors.Is(err, ErrUnknownBaseline) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Lookup(%q) = %v, want ErrUnknownBaseline mentioning %q", tc.name, err, tc.want)
		}
	}
}

func TestResolveNewFrameworks(t *testing.T) {
	r, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ ref, catalog, node, name string }{
		{"iso-iec-27001@2022:A.8.24", "iso-iec-27001@2022", "A.8.24", "Use of cryptography"},
		{"iso27001@2022:A.5.15", "iso-iec-27001@2022", "A.5.15", "Access control"},
		{"nist-sp800-53@5.1.1:SC-8(1)", "nist-sp800-53@5.1.1", "SC-8(1)", "Cryptographic Protection"},
		{"800-53@5.1.1:AC-2(10)", "nist-sp800-53@5.1.1", "AC-2(10)", ""},
		{"nist-csf@2.0:PR.DS-02", "nist-csf@2.0", "PR.DS-02", "Data in transit protected"},
		{"csf@2.0:DE.CM", "nist-csf@2.0", "DE.CM", "Continuous Monitoring"},
		{"hipaa-security-rule@2013:164.312(e)(2)(ii)", "hipaa-security-rule@2013", "164.312(e)(2)(ii)", "Encryption"},
		{"hipaa@2013:164.308(a)(1)(ii)(D)", "hipaa-security-rule@2013", "164.308(a)(1)(ii)(D)", "Information system activity review"},
	} {
		c, n, err := r.Resolve(tc.ref)
		if err != nil {
			t.Errorf("Resolve(%q): %v", tc.ref, err)
			continue
		}
		if c.Ref() != tc.catalog || n.ID != tc.node || (tc.name != "" && n.Name() != tc.name) {
			t.Errorf("Resolve(%q) = %s, %+v", tc.ref, c.Ref(), n)
		}
	}
	for _, tc := range []struct{ ref, want string }{
		{"nist-sp800-53@5.1.1:sc-7", `did you mean "SC-7"`},
		{"nist-csf@2.0:PR.AC-01", `unknown node "PR.AC-01"`},
		{"nist-sp800-53@5.1.1#moderate:SC-7", "version"},
	} {
		if _, _, err := r.Resolve(tc.ref); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Resolve(%q) = %v, want an error mentioning %q", tc.ref, err, tc.want)
		}
	}
}

func TestLoadBaselinesAndStatements(t *testing.T) {
	good := strings.Replace(miniCatalog("demo", "1", `"baselines": [{"id": "core", "title": "Core", "aliases": ["demo-core"]}],`),
		`"label": "First", "assessable": true`, `"label": "First", "assessable": true, "props": {"baselines": ["core"]}`, 1)
	r, err := Load(fstest.MapFS{"demo.catalog.json": file(good)})
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Lookup("demo-core")
	if err != nil || len(c.Controls()) != 1 || c.Selector() != "demo@1#core" {
		t.Fatalf("Lookup(demo-core) = %v, %v", c, err)
	}
	for _, tc := range []struct {
		name, old, new string
		want           []string
	}{
		{"undeclared baseline", `["core"]`, `["core", "extra"]`, []string{"/nodes/1/props/baselines/1:", "not declared"}},
		{"member not assessable", `"label": "First", "assessable": true`, `"label": "First", "assessable": false`, []string{"/nodes/1/props/baselines:", "not assessable"}},
		{"no members", `"props": {"baselines": ["core"]}`, `"props": {}`, []string{"/framework/baselines/0:", "no member"}},
		{"duplicate baseline", `{"id": "core", "title": "Core", "aliases": ["demo-core"]}`, `{"id": "core", "title": "Core"}, {"id": "core", "title": "Again"}`, []string{"/framework/baselines/1/id:", "duplicate"}},
		{"baselines not a list", `["core"]`, `"core"`, []string{"/nodes/1/props/baselines:", "list"}},
		{"statement in a licensed catalog", `"props": {"baselines": ["core"]}`, `"props": {"baselines": ["core"], "statement": "Copied text"}`, []string{"/nodes/1/props/statement:", "ids-and-short-labels"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(good, tc.old, tc.new, 1)
			if bad == good {
				t.Fatalf("mutation %q did not apply", tc.old)
			}
			_, err := Load(fstest.MapFS{"bad.catalog.json": file(bad)})
			if err == nil {
				t.Fatal("Load accepted the catalog")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
		})
	}
	// A baseline alias may not collide with another framework's name.
	other := miniCatalog("other", "1", `"aliases": ["demo-core"],`)
	if _, err := Load(fstest.MapFS{"a.catalog.json": file(good), "b.catalog.json": file(other)}); err == nil ||
		!strings.Contains(err.Error(), `"demo-core" is claimed by both`) {
		t.Errorf("colliding baseline alias: %v", err)
	}
}
