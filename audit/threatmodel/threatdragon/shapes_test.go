package threatdragon

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

func decodeString(t *testing.T, in string) *model.Model {
	t.Helper()
	m, err := Decode(nil, "inline.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := model.New(m); err != nil {
		t.Fatalf("model.New: %v", err)
	}
	return m
}

// Two diagrams reuse cell ids, as a copied diagram does. The outer box holds
// the inner box and the process by geometry; the store is outside both.
const nested = `{"version":"2.5.0","summary":{"title":"Nested"},"detail":{"diagrams":[
 {"title":"A","cells":[
  {"shape":"trust-boundary-box","id":"outer","position":{"x":0,"y":0},"size":{"width":500,"height":500},"data":{"type":"tm.BoundaryBox","name":"Outer"}},
  {"shape":"trust-boundary-box","id":"inner","position":{"x":10,"y":10},"size":{"width":200,"height":200},"data":{"type":"tm.BoundaryBox","name":"Inner"}},
  {"shape":"process","id":"p","position":{"x":50,"y":50},"size":{"width":50,"height":50},"data":{"type":"tm.Process","name":"Pay","handlesCardPayment":true,"isWebApplication":true,
    "threats":[{"id":"t1","title":"A","status":"Avoided","severity":"Low","mitigation":"Designed out"},{"id":"t1","title":"B","status":"Pending","severity":"Huge"}]}},
  {"shape":"process","id":"q","position":{"x":300,"y":300},"size":{"width":50,"height":50},"data":{"type":"tm.Process","name":"Q"}},
  {"shape":"store","id":"s","position":{"x":900,"y":50},"size":{"width":50,"height":50},"data":{"type":"tm.Store","name":"S","isEncrypted":true,"isALog":false}},
  {"shape":"trust-broundary-curve","id":"line","source":{"x":600,"y":0},"target":{"x":600,"y":1000},"data":{"type":"tm.Boundary","name":"Edge"}},
  {"shape":"flow","id":"f","source":{"cell":"p"},"target":{"cell":"s"},"vertices":[{"x":400,"y":60}],"data":{"type":"tm.Flow","name":"out","isEncrypted":false,"isPublicNetwork":true}},
  {"shape":"flow","id":"g","source":{"cell":"p"},"target":{"cell":"q"},"data":{"type":"tm.Flow","name":"in"}},
  {"shape":"flow","id":"h","source":{"cell":"p"},"target":{"cell":"outer"},"data":{"type":"tm.Flow"}},
  {"shape":"mystery","id":"m"}
 ]},
 {"title":"B","cells":[
  {"shape":"actor","id":"p","position":{"x":0,"y":0},"size":{"width":10,"height":10},"data":{"type":"tm.Actor","name":"Copy","providesAuthentication":true}}
 ]}]}}`

func TestNestedBoxesCurvesAndCollisions(t *testing.T) {
	m := decodeString(t, nested)
	inner := importer.TestFind(t, m.Zones, func(z model.Zone) string { return z.ID }, "inner")
	if inner.Parent != "outer" {
		t.Errorf("inner box parent = %q", inner.Parent)
	}
	p := importer.TestFind(t, m.Components, compID, "d0:p")
	if p.Zone != "inner" || p.Type != "web-app" || !slices.Equal(p.Tags, []string{"handles-card-payment", "web-application"}) ||
		!slices.Equal(p.Processes, []string{"td-card-payment-data"}) {
		t.Errorf("process = %+v", p)
	}
	if q := importer.TestFind(t, m.Components, compID, "q"); q.Zone != "outer" {
		t.Errorf("q zone = %q", q.Zone)
	}
	s := importer.TestFind(t, m.Components, compID, "s")
	if s.Zone != "" || s.EncryptedAtRest != model.True || s.StoresLogs != model.Unknown {
		t.Errorf("store = %+v", s)
	}
	if c := importer.TestFind(t, m.Components, compID, "d1:p"); c.Kind != model.KindExternalEntity || c.Authenticates != model.True {
		t.Errorf("copied actor = %+v", c)
	}
	f := importer.TestFind(t, m.Flows, flowID, "f")
	if !slices.Equal(f.Boundaries, []string{"line"}) || f.Encrypted != model.Unknown || f.PublicNetwork != model.True || f.Source != "d0:p" {
		t.Errorf("flow = %+v", f)
	}
	if g := importer.TestFind(t, m.Flows, flowID, "g"); len(g.Boundaries) != 0 {
		t.Errorf("flow g crosses %v", g.Boundaries)
	}
	if da := m.DataAssets; len(da) != 1 || !slices.Equal(da[0].Classifications, []string{"pan"}) {
		t.Errorf("data assets = %+v", da)
	}
	a, b := m.Threats[0], m.Threats[1]
	if a.ID != "t1" || a.Status != model.ThreatMitigated || m.Mitigations[0].Status != model.MitigationImplemented {
		t.Errorf("first threat = %+v", a)
	}
	if b.ID != "d0:p/threat-2" || b.Status != model.ThreatOpen || b.Severity != "unknown" {
		t.Errorf("second threat = %+v", b)
	}
	var msgs []string
	for _, w := range m.Warnings {
		msgs = append(msgs, w.Ref+": "+w.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		`/detail/diagrams/0/cells/8/target: flow "h" (): target "outer" is not an actor`,
		`/detail/diagrams/0/cells/9: cell "m" has unknown shape "mystery"`,
		`/detail/diagrams/0/cells/2/data/threats/1/status: unknown threat status "Pending"`,
		`/detail/diagrams/0/cells/2/data/threats/1/severity: unknown severity "Huge"`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing warning %q in\n%s", want, all)
		}
	}
}

// Threat Dragon 2.6 states containment and crossings; they win over geometry.
const stated = `{"version":"2.6.1","summary":{"title":"Stated"},"detail":{"diagrams":[{"cells":[
  {"shape":"trust-boundary-box","id":"cde","position":{"x":0,"y":0},"size":{"width":10,"height":10},"data":{"type":"tm.BoundaryBox","containedElements":["db","inner"]}},
  {"shape":"trust-boundary-box","id":"inner","position":{"x":500,"y":500},"size":{"width":1,"height":1},"data":{"type":"tm.BoundaryBox","containedElements":["cde"]}},
  {"shape":"store","id":"db","position":{"x":900,"y":900},"size":{"width":50,"height":50},"data":{"type":"tm.Store","name":"DB"}},
  {"shape":"actor","id":"u","position":{"x":1,"y":1},"size":{"width":2,"height":2},"data":{"type":"tm.Actor","name":"U"}},
  {"shape":"trust-boundary-curve","id":"c1","source":{"x":0,"y":0},"target":{"x":1,"y":1},"data":{"type":"tm.Boundary"}},
  {"shape":"trust-boundary-curve","id":"c2","source":{"x":-100,"y":-100},"target":{"x":2000,"y":2000},"data":{"type":"tm.Boundary"}},
  {"shape":"flow","id":"f","source":{"cell":"u"},"target":{"cell":"db"},"data":{"type":"tm.Flow","trustBoundaryIds":["c1","cde","nope"]}}
]}]}}`

func TestStatedContainment(t *testing.T) {
	m := decodeString(t, stated)
	if db := importer.TestFind(t, m.Components, compID, "db"); db.Zone != "cde" {
		t.Errorf("db zone = %q", db.Zone)
	}
	if u := importer.TestFind(t, m.Components, compID, "u"); u.Zone != "" {
		t.Errorf("actor placed in %q although cde lists its members", u.Zone)
	}
	if m.Zones[0].Parent != "inner" || m.Zones[1].Parent != "" {
		t.Errorf("cyclic containment not broken: %+v", m.Zones)
	}
	if f := importer.TestFind(t, m.Flows, flowID, "f"); !slices.Equal(f.Boundaries, []string{"c1"}) {
		t.Errorf("stated crossings = %v", f.Boundaries)
	}
	if len(m.Warnings) != 2 || !strings.Contains(m.Warnings[0].Message, "own descendant") || !strings.Contains(m.Warnings[1].Message, `"nope"`) {
		t.Errorf("warnings = %+v", m.Warnings)
	}
}

// Geometry on a hostile number of boxes is cut off by the work budget
// instead of stalling the import.
func TestGeometryBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"version":"2.0","summary":{},"detail":{"diagrams":[{"cells":[`)
	for i := range 8000 {
		fmt.Fprintf(&b, `{"shape":"trust-boundary-box","id":"b%d","position":{"x":%d,"y":0},"size":{"width":10,"height":10}},`, i, i)
		fmt.Fprintf(&b, `{"shape":"process","id":"p%d","position":{"x":%d,"y":0},"size":{"width":1,"height":1}},`, i, i)
	}
	b.WriteString(`{"shape":"actor","id":"a"}]}]}}`)
	m := decodeString(t, b.String())
	if len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0].Message, "too large to place elements in boxes") {
		t.Errorf("warnings = %+v", m.Warnings)
	}
}
