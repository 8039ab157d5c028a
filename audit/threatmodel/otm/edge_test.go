package otm

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

func TestRefusesBrokenFiles(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"no version", "project: {name: P, id: p}\ncomponents: []\n", "broken.otm: at /otmVersion: missing"},
		{"version 1", "otmVersion: 1.0.0\nproject: {name: P, id: p}\n", `broken.otm: at /otmVersion: unsupported OTM version "1.0.0"`},
		{"no project", `{"otmVersion": "0.2.0"}`, "broken.otm: at /project: missing or not a mapping"},
		{"section", "otmVersion: 0.2.0\nproject: {name: P, id: p}\ncomponents: {a: 1}\n", "broken.otm: at /components: not a list"},
		{"list", "- otmVersion: 0.2.0\n", "broken.otm: at /: the document is not a mapping"},
		{"yaml syntax", "otmVersion: 0.2.0\nproject: [\n", "broken.otm: invalid YAML: yaml: line 2: did not find expected node content"},
		{"duplicate", "otmVersion: 0.2.0\nproject: {name: P, id: p}\nproject: {}\n", `broken.otm: line 3: duplicate key "project"`},
		{"two documents", "otmVersion: 0.2.0\n---\nx: 1\n", "broken.otm: line 2: only one YAML document is allowed"},
		{"json syntax", "{\"otmVersion\": \"0.2.0\",\n \"project\": }", "broken.otm: invalid JSON at line 2, column 13"},
		{"empty", "", "broken.otm: the document is empty"},
		{"deep json", strings.Repeat("[", maxDepth+1), "broken.otm: line 1: nesting is too deep (more than 128 levels)"},
		{"deep yaml", strings.Repeat("- ", maxDepth+2) + "x\n", "broken.otm: line 1: nesting is too deep (more than 128 levels)"},
		{"alias bomb", bomb(), "aliases expand to more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(nil, "broken.otm", []byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := Decode(nil, "big.otm", make([]byte, maxSize+1)); err == nil || !strings.Contains(err.Error(), "more than the") {
		t.Errorf("oversized input: %v", err)
	}
}

// bomb builds a billion-laughs document from YAML aliases.
func bomb() string {
	var b strings.Builder
	b.WriteString("otmVersion: 0.2.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func TestDetect(t *testing.T) {
	for in, want := range map[string]bool{
		"\xEF\xBB\xBFotmVersion: 0.2.0\n":             true,
		`{"otmVersion": "0.1.0", "project": {}}`:      true,
		"project: {name: x}\ntrustZones: []\n":        true,
		"project: {name: x}\n":                        false,
		`{"summary": {}, "detail": {"diagrams": []}}`: false,
		"threagile_version: 1.0.0\n":                  false,
		"<project ref='x'><components/></project>":    false,
	} {
		if got := Detect([]byte(in)); got != want {
			t.Errorf("Detect(%q) = %v", in, got)
		}
	}
}

const edgy = `otmVersion: 0.2.0
project: {name: Edge cases, id: edge, owner: "Ops"}
trustZones:
  - {id: web, name: DMZ, risk: {trustRating: 50}}
  - {id: cde, name: CDE, risk: {trustRating: 90}, parent: {trustZone: web}}
  - {id: web2, name: Loop, risk: {trustRating: 0}, parent: {trustZone: web2}}
  - {id: bad, name: Bad, risk: {trustRating: 400}, parent: {trustZone: nowhere}}
  - {id: web, name: Duplicate, risk: {trustRating: 1}}
assets:
  - {id: pan, name: PAN, risk: {confidentiality: 40, integrity: 1, availability: 1}}
components:
  - {id: 55, name: App, type: web-application-server-side, parent: {trustZone: cde},
     attributes: {'y': y, "Out Of Scope": "true", "Reason For Out Of Scope": "Vendor run", empty: {}},
     assets: {processed: [pan, ghost]},
     threats: [{threat: 55, state: Partly_Mitigate, mitigations: [{mitigation: 55, state: implemented}]},
               {threat: t2, state: NOT_APPLICABLE, mitigations: [{mitigation: 55, state: REJECTED}]},
               {threat: undefined, state: weird}]}
  - {id: child, name: Child, type: S3 bucket, parent: {component: 55}}
  - {id: orphan, name: Orphan, type: User, parent: {component: missing}}
  - {id: cyc1, name: C1, type: x, parent: {component: cyc2}}
  - {id: cyc2, name: C2, type: x, parent: {component: cyc1}}
dataflows:
  - {id: f1, name: In, source: orphan, destination: 55, bidirectional: true, assets: [pan]}
  - {id: f2, name: Lost, source: 55, destination: web, threats: [{threat: t2, state: accept}]}
threats:
  - {id: 55, name: Injection, categories: [Tampering], risk: {likelihood: 10, impact: 45}}
  - {id: t2, name: Listed, risk: {impact: 5}, mitigations: [m9]}
  - {id: t3, name: Never used, risk: {impact: 70}}
mitigations:
  - {id: 55, name: Validate input, riskReduction: 50}
  - {id: m9, name: Hardening, riskReduction: 10}
`

func TestEdgeCases(t *testing.T) {
	m, err := Decode(nil, "edge.yaml", []byte(edgy))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := model.New(m); err != nil {
		t.Fatalf("model.New: %v", err)
	}
	zones := map[string]model.Zone{}
	for _, z := range m.Zones {
		zones[z.ID] = z
	}
	if zones["web"].Trust != model.TrustSemiTrusted || zones["cde"].Trust != model.TrustTrusted || zones["cde"].Parent != "web" ||
		zones["web2"].Trust != model.TrustPublic || zones["web2"].Parent != "" || zones["bad"].Trust != "" || len(zones) != 4 {
		t.Errorf("zones = %+v", m.Zones)
	}
	app := importer.TestFind(t, m.Components, compID, "55")
	if app.Props["y"] != "y" || !app.OutOfScope || app.OutOfScopeReason != "Vendor run" || !slices.Equal(app.Processes, []string{"pan"}) {
		t.Errorf("app = %+v", app)
	}
	if _, ok := app.Props["empty"]; ok {
		t.Errorf("empty attribute kept: %v", app.Props)
	}
	if c := importer.TestFind(t, m.Components, compID, "child"); c.Zone != "cde" || c.Kind != model.KindDatastore {
		t.Errorf("child = %+v", c)
	}
	if c := importer.TestFind(t, m.Components, compID, "orphan"); c.Zone != "" || c.Kind != model.KindExternalEntity {
		t.Errorf("orphan = %+v", c)
	}
	if f := importer.TestFind(t, m.Flows, flowID, "f1"); !f.Bidirectional || f.Source != "orphan" || f.Target != "55" {
		t.Errorf("flow = %+v", f)
	}
	if len(m.Flows) != 1 {
		t.Errorf("flow to a zone imported: %+v", m.Flows)
	}
	inj := importer.TestFind(t, m.Threats, threatID, "threat:55@55")
	if inj.Status != model.ThreatPartial || inj.Severity != "medium" || inj.Title != "Injection" {
		t.Errorf("threat = %+v", inj)
	}
	mi := importer.TestFind(t, m.Mitigations, mitigationID, "mitigation:55@55")
	if mi.Status != model.MitigationRejected || mi.RawStatus != "REJECTED" || !slices.Equal(mi.Threats, []string{"threat:55@55", "threat:t2@55"}) {
		t.Errorf("merged mitigation = %+v", mi)
	}
	if th := importer.TestFind(t, m.Threats, threatID, "threat:t2@55"); th.Status != model.ThreatNotApplicable || th.Severity != "info" {
		t.Errorf("t2 = %+v", th)
	}
	if th := importer.TestFind(t, m.Threats, threatID, "threat:undefined@55"); th.Status != model.ThreatOpen || th.Title != "undefined" {
		t.Errorf("undefined threat = %+v", th)
	}
	lost := importer.TestFind(t, m.Threats, threatID, "threat:t2@f2")
	if lost.Status != model.ThreatAccepted || len(lost.Targets) != 0 || !slices.Equal(lost.Mitigations, []string{"mitigation:m9@f2"}) {
		t.Errorf("threat of unimported flow = %+v", lost)
	}
	if th := importer.TestFind(t, m.Threats, threatID, "threat:t3"); th.Status != model.ThreatOpen || len(th.Targets) != 0 || th.Severity != "high" {
		t.Errorf("uninstantiated threat = %+v", th)
	}
	var all []string
	for _, w := range m.Warnings {
		all = append(all, w.Ref+": "+w.Message)
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{
		`/trustZones/4: trust zone id "web" is used twice`,
		`/trustZones/2/parent: trust zone "web2": parent "web2" would make zones contain each other`,
		`/trustZones/3/risk/trustRating: trust rating 400 is not a number from 0 to 100`,
		`/trustZones/3/parent: trust zone "bad": parent trust zone "nowhere" does not exist`,
		`/components/0/assets/processed/1: asset "ghost" does not exist`,
		`/components/2/parent: component "orphan": parent component "missing" does not exist`,
		`/components/3/parent: component "cyc1": parent components form a cycle`,
		`/dataflows/1: dataflow "f2": source "55" or destination "web" is not a component`,
		`/components/0/threats/2/state: unknown threat state "weird"`,
		`/components/0/threats/2: threat "undefined" is not defined in /threats`,
		`/components/0/threats/1/mitigations/0: mitigation "55" is "REJECTED" here and "implemented" elsewhere`,
		`/threats/2: threat "t3" is not instantiated`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing warning %q in\n%s", want, text)
		}
	}
}

// chainDocument is an OTM document whose zones and components each form
// one parent chain n long.
func chainDocument(n int) []byte {
	var b strings.Builder
	b.WriteString("{\"otmVersion\":\"0.2.0\",\"project\":{\"name\":\"chain\",\"id\":\"c\"},\"trustZones\":[")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		parent := ""
		if i > 0 {
			parent = fmt.Sprintf(`,"parent":{"trustZone":"z%d"}`, i-1)
		}
		fmt.Fprintf(&b, `{"id":"z%d","name":"Z","risk":{"trustRating":90}%s}`, i, parent)
	}
	b.WriteString("],\"components\":[")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		parent := `{"trustZone":"z0"}`
		if i > 0 {
			parent = fmt.Sprintf(`{"component":"c%d"}`, i-1)
		}
		fmt.Fprintf(&b, `{"id":"c%d","name":"C","type":"x","parent":%s,"threats":[{"threat":"t","state":"exposed"}]}`, i, parent)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// Long parent chains resolve: each link is followed once. How the cost grows
// with the chain is measured by BenchmarkLongChains, not by a timer here.
func TestLongChains(t *testing.T) {
	const n = 50000
	m, err := Decode(nil, "chain.json", chainDocument(n))
	if err != nil {
		t.Fatal(err)
	}
	if last := m.Components[n-1]; last.Zone != "z0" || m.Zones[n-1].Parent != fmt.Sprintf("z%d", n-2) {
		t.Errorf("last component %+v, last zone %+v", last, m.Zones[n-1])
	}
	if len(m.Threats) != n {
		t.Errorf("%d threats", len(m.Threats))
	}
}

// BenchmarkLongChains shows decoding cost growing linearly with the length
// of parent chains (compare the per-op times of the sizes).
func BenchmarkLongChains(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		doc := chainDocument(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for range b.N {
				if _, err := Decode(nil, "chain.json", doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
