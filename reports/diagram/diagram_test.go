package diagram

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/reports/reporttest"
)

func renderSVG(t *testing.T, r *audit.Results) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := RenderSVG(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSVGNamesEveryElement checks the SVG is well-formed XML and names every
// zone, component and flow of the demo, each in a data-id attribute.
func TestSVGNamesEveryElement(t *testing.T) {
	r := reporttest.Demo(t)
	out := renderSVG(t, r)
	if dir := os.Getenv("AUDITPACK_DIAGRAM_OUT"); dir != "" {
		os.WriteFile(dir+"/"+SVGName, out, 0o644)
	}
	ids := map[string]bool{}
	dec := xml.NewDecoder(bytes.NewReader(out))
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Space + " " + se.Name.Local
			}
			for _, a := range se.Attr {
				if a.Name.Local == "data-id" {
					ids[a.Value] = true
				}
			}
		}
	}
	if root != "http://www.w3.org/2000/svg svg" {
		t.Errorf("root element %q, want svg in the SVG namespace", root)
	}
	var want []string
	for _, z := range r.Model.Zones {
		want = append(want, z.ID)
	}
	for _, c := range r.Model.Components {
		want = append(want, c.ID)
	}
	for _, f := range r.Model.Flows {
		want = append(want, f.ID)
	}
	if len(want) < 20 {
		t.Fatalf("the demo has only %d elements", len(want))
	}
	for _, id := range want {
		if !ids[id] {
			t.Errorf("SVG has no element with data-id %q", id)
		}
	}
}

// TestDeterministic renders the demo twice and wants the same bytes.
func TestDeterministic(t *testing.T) {
	r := reporttest.Demo(t)
	a, b := renderSVG(t, r), renderSVG(t, r)
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same results differ")
	}
}

// TestVerdictsAndMarks checks what the demo's picture says of its
// elements: the worst verdict of each, the CDE zone, and the scope
// findings.
func TestVerdictsAndMarks(t *testing.T) {
	r := reporttest.Demo(t)
	ds, err := Of(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Kind != KindScope {
		t.Fatalf("the demo gave %d diagrams, want one of the whole scope", len(ds))
	}
	d := ds[0]
	worst := map[string]eval.Verdict{}
	for _, res := range r.RuleResults {
		worst[res.Element.ID] = eval.Worst(worst[res.Element.ID], res.Verdict)
	}
	for _, n := range d.Nodes {
		if w := worst[n.ID]; n.Verdict != w && !(w == eval.NotSatisfied && n.Verdict == eval.Excepted) {
			t.Errorf("component %s drawn %q, its worst rule result is %q", n.ID, n.Verdict, w)
		}
		if n.W <= 0 || n.H <= 0 || n.X < 0 || n.Y < 0 || n.X+n.W > d.W+0.01 || n.Y+n.H > d.H+0.01 {
			t.Errorf("component %s at %.1f,%.1f size %.1fx%.1f outside the %.1fx%.1f picture", n.ID, n.X, n.Y, n.W, n.H, d.W, d.H)
		}
	}
	findings := 0
	for _, n := range d.Nodes {
		if n.Finding {
			findings++
			if !strings.Contains(strings.Join(n.Lines, " "), "scope finding") {
				t.Errorf("component %s is marked without saying so: %q", n.ID, n.Lines)
			}
		}
	}
	if findings != len(r.Scope.Findings) || findings == 0 {
		t.Errorf("%d components marked with a scope finding, the results have %d", findings, len(r.Scope.Findings))
	}
	cde := 0
	for _, z := range d.Zones {
		if z.CDE {
			cde++
		}
	}
	if cde != 1 {
		t.Errorf("%d CDE zones highlighted, want the demo's one", cde)
	}
	for _, e := range d.Edges {
		if e.Lines[0] != e.ID || e.Head == nil || len(e.Path) < 4 {
			t.Errorf("flow %s drawn as %q with head %v and %d points", e.ID, e.Lines, e.Head, len(e.Path))
		}
	}
}

// large makes a model of n components in a few zones, one of them the CDE,
// and 3n flows between them.
func large(n int) *audit.Results {
	r := &audit.Results{Project: audit.Project{Organisation: "Org", System: "Sys", AsOf: "2026-01-01"}}
	m := &r.Model
	m.Zones = []model.Zone{{ID: "app", Name: "App"}, {ID: "cde", Name: "CDE", Parent: "app", Tags: []string{"cde"}}, {ID: "corp", Name: "Corp"}}
	zones := []string{"app", "cde", "corp", ""}
	for i := range n {
		id := fmt.Sprintf("c%03d", i)
		m.Components = append(m.Components, model.Component{ID: id, Name: "Component " + id, Kind: "process", Zone: zones[i%4]})
		if i%4 == 1 {
			r.Scope.Elements = append(r.Scope.Elements, audit.ScopedElement{ID: id, Class: model.ScopeCDE})
		}
	}
	for i := range 3 * n {
		f := audit.FlowInfo{Flow: model.Flow{ID: fmt.Sprintf("f%03d", i), Source: m.Components[i%n].ID, Target: m.Components[(i*7+1)%n].ID}}
		m.Flows = append(m.Flows, f)
		v := eval.Satisfied
		if i%5 == 0 {
			v = eval.NotSatisfied
		}
		r.RuleResults = append(r.RuleResults, eval.Result{Rule: "r", Element: eval.ElementRef{ID: f.ID}, Verdict: v})
	}
	return r
}

// TestLargeModel checks a model above the bounds is drawn as a zone
// overview with aggregated flows and a bounded CDE detail.
func TestLargeModel(t *testing.T) {
	r := large(200)
	ds, err := Of(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].Kind != KindZones || ds[1].Kind != KindCDE {
		t.Fatalf("got %d diagrams, want a zone overview and a CDE detail", len(ds))
	}
	zones := ds[0]
	if len(zones.Nodes) != 4 { // three zones and the components in none
		t.Errorf("zone overview has %d nodes, want 4", len(zones.Nodes))
	}
	total := 0
	for _, e := range zones.Edges {
		var n int
		fmt.Sscanf(e.Lines[0], "%d flow", &n)
		total += n
	}
	inside := 0
	for _, f := range r.Model.Flows {
		if zoneOfTest(r, f.Source) == zoneOfTest(r, f.Target) {
			inside++
		}
	}
	if total+inside != len(r.Model.Flows) {
		t.Errorf("overview arrows count %d flows and %d stay inside a zone, the model has %d", total, inside, len(r.Model.Flows))
	}
	cde := ds[1]
	if len(cde.Nodes) > DetailComponents || len(cde.Edges) > DetailFlows || len(cde.Nodes) == 0 {
		t.Errorf("CDE detail has %d components and %d flows, bounds %d and %d", len(cde.Nodes), len(cde.Edges), DetailComponents, DetailFlows)
	}
	if len(cde.Notes) == 0 {
		t.Error("CDE detail leaves components out without saying so")
	}
}

func zoneOfTest(r *audit.Results, component string) string {
	for _, c := range r.Model.Components {
		if c.ID == component {
			return c.Zone
		}
	}
	return ""
}

// TestQuoteDOT checks model text cannot break out of a DOT string.
func TestQuoteDOT(t *testing.T) {
	for in, want := range map[string]string{
		`a"b`:   `"a\"b"`,
		`a\b`:   `"a\\b"`,
		"a\nb":  `"a\nb"`,
		"a\x00": `"a "`,
	} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
	}
}
