package frameworks

import (
	"reflect"
	"strings"
	"testing"
)

func builtinCatalog(t *testing.T, name string) *Catalog {
	t.Helper()
	r, err := Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	c, err := r.Lookup(name)
	if err != nil {
		t.Fatalf("Lookup(%q): %v", name, err)
	}
	return c
}

// rootOf returns the id of the top ancestor of a node.
func rootOf(c *Catalog, id string) string {
	if a := c.Ancestors(id); len(a) > 0 {
		return a[0].ID
	}
	return id
}

func TestPCICounts(t *testing.T) {
	c := builtinCatalog(t, "pci-dss@4.0.1")
	kinds := map[string]int{}
	for _, n := range c.Nodes {
		kinds[n.Kind]++
	}
	principal := map[string]int{} // root kind -> principal requirements under it
	for _, n := range c.Nodes {
		if n.Kind == "principal-requirement" {
			root, _ := c.Node(rootOf(c, n.ID))
			principal[root.Kind]++
		}
	}
	controls := c.Controls()
	series := map[string]int{}
	for _, n := range controls {
		if n.Kind != "requirement" {
			t.Errorf("assessable node %s has kind %q", n.ID, n.Kind)
		}
		s := "numbered"
		if strings.HasPrefix(n.ID, "A") {
			s, _, _ = strings.Cut(n.ID, ".")
		}
		series[s]++
	}
	checks := []struct {
		what      string
		got, want int
	}{
		{"assessable requirements", len(controls), 280},
		{"numbered requirements", series["numbered"], 250},
		{"appendix A1 requirements", series["A1"], 7},
		{"appendix A2 requirements", series["A2"], 3},
		{"appendix A3 requirements", series["A3"], 20},
		{"goals", kinds["goal"], 6},
		{"principal requirements under goals", principal["goal"], 12},
		{"appendix requirements A1-A3", principal["appendix"], 3},
		{"sections (63 numbered + 8 appendix)", kinds["section"], 71},
		{"requirement nodes", kinds["requirement"], 280},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %d, want %d", ch.what, ch.got, ch.want)
		}
	}
	if n, ok := c.Node("9.5.1.2.1"); !ok || !n.Assessable {
		t.Errorf("deepest requirement 9.5.1.2.1 missing or not assessable: %+v", n)
	}
}

func TestSOC2Counts(t *testing.T) {
	c := builtinCatalog(t, "aicpa-tsc@2017-pof2022")
	perCategory := map[string]int{}
	perSeries := map[string]int{}
	for _, n := range c.Controls() {
		if n.Kind != "criterion" {
			t.Errorf("assessable node %s has kind %q", n.ID, n.Kind)
		}
		perCategory[n.Parent]++
		perSeries[strings.TrimRight(n.Parent, "0123456789")]++ // P1..P8 are one series
	}
	if got := len(c.Controls()); got != 61 {
		t.Errorf("criteria: got %d, want 61", got)
	}
	wantSeries := map[string]int{"CC": 33, "A": 3, "C": 2, "PI": 5, "P": 18}
	if !reflect.DeepEqual(perSeries, wantSeries) {
		t.Errorf("criteria per series: got %v, want %v", perSeries, wantSeries)
	}
	wantCategory := map[string]int{
		"CC1": 5, "CC2": 3, "CC3": 4, "CC4": 2, "CC5": 3, "CC6": 8, "CC7": 5, "CC8": 1, "CC9": 2,
		"A1": 3, "C1": 2, "PI1": 5,
		"P1": 1, "P2": 1, "P3": 2, "P4": 3, "P5": 2, "P6": 7, "P7": 1, "P8": 1,
	}
	if !reflect.DeepEqual(perCategory, wantCategory) {
		t.Errorf("criteria per category: got %v, want %v", perCategory, wantCategory)
	}
	// COSO principles 1-17 map one-to-one onto CC1.1-CC5.3.
	seen := map[float64]string{}
	for _, n := range c.Controls() {
		p, ok := n.Props["coso_principle"].(float64)
		if !ok {
			continue
		}
		if other, dup := seen[p]; dup {
			t.Errorf("COSO principle %v on both %s and %s", p, other, n.ID)
		}
		seen[p] = n.ID
	}
	if len(seen) != 17 {
		t.Errorf("COSO principles: got %d, want 17", len(seen))
	}
}

func TestEveryParentExistsAndLabelsPresent(t *testing.T) {
	r, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Catalogs() {
		for _, n := range c.Nodes {
			if n.Parent != "" {
				if _, ok := c.Node(n.Parent); !ok {
					t.Errorf("%s: parent %q does not exist", c.ControlRef(n.ID), n.Parent)
				}
			}
			if n.Name() == "" {
				t.Errorf("%s: no title and no label", c.ControlRef(n.ID))
			}
			// Catalogs that may not ship the publisher's names carry an auditpack
			// label on every control; the others name controls by their titles.
			if n.Assessable && n.Label == "" && c.ContentPolicy == "ids-and-short-labels" {
				t.Errorf("%s: assessable node without an auditpack label", c.ControlRef(n.ID))
			}
			if a := c.Ancestors(n.ID); len(a) > 0 && a[0].Parent != "" {
				t.Errorf("%s: ancestor chain does not start at a root: %v", c.ControlRef(n.ID), a[0].ID)
			}
		}
	}
}

// Shipped names must stay short: long text is a sign of copied publisher wording, and
// reports lay names out on one line. Public-domain catalogs ship official titles as
// published; one SP 800-53 title (PM-25) runs to 91 characters, so they get 100.
func TestShippedNamesAreShort(t *testing.T) {
	r, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Catalogs() {
		maxTitle := 80
		if c.ContentPolicy == "full-text" {
			maxTitle = 100
		}
		for _, n := range c.Nodes {
			for field, s := range map[string]string{"title": n.Title, "label": n.Label} {
				limit := 80
				if field == "title" {
					limit = maxTitle
				}
				if len([]rune(s)) > limit {
					t.Errorf("%s: %s is %d characters (max %d): %q", c.ControlRef(n.ID), field, len([]rune(s)), limit, s)
				}
			}
			if w := len(strings.Fields(n.Label)); w > 7 {
				t.Errorf("%s: label has %d words (max 7): %q", c.ControlRef(n.ID), w, n.Label)
			}
		}
	}
}

func TestControlsFollowDocumentOrder(t *testing.T) {
	r, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Catalogs() {
		var doc, canon []string
		for _, n := range c.Nodes {
			if n.Assessable {
				doc = append(doc, n.ID)
			}
		}
		for _, n := range c.Controls() {
			canon = append(canon, n.ID)
		}
		if !reflect.DeepEqual(doc, canon) {
			t.Errorf("%s: Controls() order differs from document order\n got %v\nwant %v", c.Ref(), canon, doc)
		}
	}
	pci := builtinCatalog(t, "pci")
	ctl := pci.Controls()
	if ctl[0].ID != "1.1.1" || ctl[len(ctl)-1].ID != "A3.5.1" {
		t.Errorf("PCI controls run %s..%s, want 1.1.1..A3.5.1", ctl[0].ID, ctl[len(ctl)-1].ID)
	}
	soc := builtinCatalog(t, "soc2")
	var order []string
	for _, n := range soc.Controls() {
		if len(order) == 0 || order[len(order)-1] != n.Parent {
			order = append(order, n.Parent)
		}
	}
	want := []string{"CC1", "CC2", "CC3", "CC4", "CC5", "CC6", "CC7", "CC8", "CC9",
		"A1", "C1", "PI1", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("SOC 2 category order: got %v, want %v", order, want)
	}
}

func TestNavigation(t *testing.T) {
	c := builtinCatalog(t, "pci-dss")
	ids := func(ns []Node) []string {
		out := []string{}
		for _, n := range ns {
			out = append(out, n.ID)
		}
		return out
	}
	if got, want := ids(c.Ancestors("4.2.1.1")), []string{"G2", "4", "4.2", "4.2.1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Ancestors(4.2.1.1) = %v, want %v", got, want)
	}
	if got, want := ids(c.Children("4.2.1")), []string{"4.2.1.1", "4.2.1.2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Children(4.2.1) = %v, want %v", got, want)
	}
	if got, want := ids(c.Children("")), []string{"G1", "G2", "G3", "G4", "G5", "G6", "A"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Children(\"\") = %v, want %v", got, want)
	}
	if got := c.Ancestors("G1"); len(got) != 0 {
		t.Errorf("Ancestors of a root = %v, want none", ids(got))
	}
	if got := c.Ancestors("99.9"); got != nil {
		t.Errorf("Ancestors of an unknown id = %v, want nil", ids(got))
	}
	if got := c.ControlRef("4.2.1"); got != "pci-dss@4.0.1:4.2.1" {
		t.Errorf("ControlRef = %q", got)
	}
}

func TestNodeName(t *testing.T) {
	for _, tc := range []struct {
		n    Node
		want string
	}{
		{Node{Title: "Heading", Label: "label"}, "Heading"},
		{Node{Label: "label"}, "label"},
		{Node{}, ""},
	} {
		if got := tc.n.Name(); got != tc.want {
			t.Errorf("%+v.Name() = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestBuiltinCopiesAreIndependent(t *testing.T) {
	a, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two Builtin registries differ")
	}
	ca, _ := a.Lookup("soc2")
	ca.Nodes[1].Label = "changed"
	ca.Nodes[1].Props["coso_principle"] = 99.0
	cb, _ := b.Lookup("soc2")
	if cb.Nodes[1].Label == "changed" || cb.Nodes[1].Props["coso_principle"] == 99.0 {
		t.Fatal("changing one Builtin registry changed another")
	}
	c, _ := Builtin()
	if cc, _ := c.Lookup("soc2"); cc.Nodes[1].Label == "changed" {
		t.Fatal("changing a Builtin registry changed the cached one")
	}
}

func TestHandBuiltCatalog(t *testing.T) {
	c := &Catalog{ID: "x", Version: "1", Nodes: []Node{
		{ID: "1", Kind: "group"},
		{ID: "1.10", Kind: "control", Parent: "1", Assessable: true},
		{ID: "1.9", Kind: "control", Parent: "1", Assessable: true},
	}}
	if n, ok := c.Node("1.9"); !ok || n.Parent != "1" {
		t.Errorf("Node(1.9) = %+v, %v", n, ok)
	}
	if got := c.Controls(); len(got) != 2 || got[0].ID != "1.9" {
		t.Errorf("Controls() = %+v", got)
	}
	if got := c.Children("1"); len(got) != 2 {
		t.Errorf("Children(1) = %+v", got)
	}
	if got := c.Ancestors("1.10"); len(got) != 1 || got[0].ID != "1" {
		t.Errorf("Ancestors(1.10) = %+v", got)
	}
}
