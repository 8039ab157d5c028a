package otm

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

const samples = "../../../testdata/threatmodels/otm"

func load(t testing.TB, name string) *model.Model {
	t.Helper()
	return importer.TestDecode(t, os.DirFS(samples), name, Detect, Decode)
}

func TestSampleCounts(t *testing.T) {
	tests := map[string]struct {
		version string
		want    importer.Counts
	}{
		"EXAMPLE.json":             {"0.2.0", importer.Counts{Processes: 2, Datastores: 1, ExternalEntities: 1, Flows: 2, Zones: 2, DataAssets: 2, Threats: 2, Mitigations: 3, Warnings: 1}},
		"EXAMPLE.yaml":             {"0.2.0", importer.Counts{Processes: 2, Datastores: 1, ExternalEntities: 1, Flows: 2, Zones: 2, DataAssets: 2, Threats: 2, Mitigations: 3, Warnings: 1}},
		"MTMT_MVP.startleft.otm":   {"0.2.0", importer.Counts{Processes: 1, Datastores: 2, ExternalEntities: 1, Flows: 6, Zones: 2, Threats: 43, Mitigations: 43}},
		"manual_threat_model.yaml": {"0.1.0", importer.Counts{Processes: 1, Datastores: 1, ExternalEntities: 1, Flows: 2, Zones: 3}},
		"mobile-cloud.otm.json":    {"0.1.0", importer.Counts{Processes: 1, Datastores: 2, ExternalEntities: 1, Flows: 6, Zones: 2, Threats: 43, Mitigations: 43}},
		"mtmt_example.yaml":        {"0.1.0", importer.Counts{Processes: 1, Datastores: 2, ExternalEntities: 1, Flows: 6, Zones: 3, Threats: 43, Mitigations: 43}},
		"nested_tz.otm":            {"0.2.0", importer.Counts{Processes: 1, Datastores: 2, ExternalEntities: 1, Flows: 2, Zones: 3}},
		"otm_file_example.otm":     {"0.1.0", importer.Counts{Processes: 20, ExternalEntities: 2, Flows: 22, Zones: 2}},
	}
	files, _ := filepath.Glob(filepath.Join(samples, "*"))
	var n int
	for _, f := range files {
		if filepath.Ext(f) != ".md" && filepath.Ext(f) != ".txt" {
			n++
		}
	}
	if n != len(tests) {
		t.Errorf("%d sample files, %d expectations", n, len(tests))
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			m := load(t, name)
			importer.TestCounts(t, m, tt.want)
			if m.Source.FormatVersion != tt.version {
				t.Errorf("format version = %q, want %q", m.Source.FormatVersion, tt.version)
			}
			if m.Source.Format != Format || m.Source.File != name || len(m.Source.SHA256) != 64 {
				t.Errorf("source = %+v", m.Source)
			}
		})
	}
}

func zoneID(z model.Zone) string              { return z.ID }
func compID(c model.Component) string         { return c.ID }
func flowID(f model.Flow) string              { return f.ID }
func threatID(th model.Threat) string         { return th.ID }
func mitigationID(mi model.Mitigation) string { return mi.ID }

func TestExampleFacts(t *testing.T) {
	m := load(t, "EXAMPLE.yaml")
	if z := importer.TestFind(t, m.Zones, zoneID, "f0ba7722-39b6-4c81-8290-a30a248bb8d9"); z.Trust != model.TrustPublic || z.Name != "Internet" {
		t.Errorf("internet zone = %+v", z)
	}
	if z := importer.TestFind(t, m.Zones, zoneID, "2ab4effa-40b7-4cd2-ba81-8247d29a6f2d"); z.Trust != model.TrustTrusted {
		t.Errorf("private zone = %+v", z)
	}
	ws := importer.TestFind(t, m.Components, compID, "web-service")
	if ws.Zone != "2ab4effa-40b7-4cd2-ba81-8247d29a6f2d" || !slices.Equal(ws.Processes, []string{"cc-data", "public-info"}) ||
		!slices.Equal(ws.Stores, []string{"public-info"}) || ws.Kind != model.KindProcess || ws.Type != "web-service" {
		t.Errorf("web service = %+v", ws)
	}
	if db := importer.TestFind(t, m.Components, compID, "customer-database"); db.Kind != model.KindDatastore {
		t.Errorf("database kind = %q", db.Kind)
	}
	if c := importer.TestFind(t, m.Components, compID, "web-client"); c.Kind != model.KindExternalEntity || !slices.Equal(c.Tags, []string{"external"}) {
		t.Errorf("web client = %+v", c)
	}
	f := importer.TestFind(t, m.Flows, flowID, "cc-store-in-db")
	if !f.Bidirectional || !slices.Equal(f.Data, []string{"cc-data"}) || f.Ref != "/dataflows/1" {
		t.Errorf("flow = %+v", f)
	}
	th := importer.TestFind(t, m.Threats, threatID, "threat:22724267-be7e-44c0-8b1f-d7d33e9a34ec@web-service")
	if th.Status != model.ThreatOpen || th.RawStatus != "exposed" || th.Severity != "critical" || th.Category != "Spoofing, Tampering" ||
		!slices.Equal(th.Targets, []string{"web-service"}) || th.Ref != "/components/1/threats/0" {
		t.Errorf("threat = %+v", th)
	}
	impl := importer.TestFind(t, m.Mitigations, mitigationID, "mitigation:fd6136f4-e2ff-11eb-ba80-0242ac130004@web-service")
	req := importer.TestFind(t, m.Mitigations, mitigationID, "mitigation:fd6136f4-e2ff-11eb-ba80-0242ac130004@cc-store-in-db")
	if impl.Status != model.MitigationImplemented || req.Status != model.MitigationPlanned || req.RawStatus != "required" ||
		!slices.Equal(th.Mitigations, []string{impl.ID}) || impl.Title != "This is the name of mitigation 1" {
		t.Errorf("mitigations = %+v / %+v", impl, req)
	}
	if unused := importer.TestFind(t, m.Mitigations, mitigationID, "mitigation:3b837730-e300-11eb-ba80-0242ac130004"); unused.Status != model.MitigationUnknown || len(unused.Targets) != 0 {
		t.Errorf("unused mitigation = %+v", unused)
	}
	if cc := m.DataAssets[0]; cc.ID != "cc-data" || !slices.Equal(cc.Classifications, []string{"confidential"}) {
		t.Errorf("asset = %+v", cc)
	}
	if pub := m.DataAssets[1]; !slices.Equal(pub.Classifications, []string{"public"}) {
		t.Errorf("asset = %+v", pub)
	}
}

// The JSON and YAML forms of the same document import identically.
func TestJSONAndYAMLAgree(t *testing.T) {
	a, b := load(t, "EXAMPLE.json"), load(t, "EXAMPLE.yaml")
	a.Source, b.Source = model.Source{}, model.Source{}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Errorf("JSON and YAML imports differ:\n%s\n%s", ja, jb)
	}
}

func TestNestingAndStartLeftStates(t *testing.T) {
	m := load(t, "nested_tz.otm")
	if z := importer.TestFind(t, m.Zones, zoneID, "9cbb5581-99cc-463b-a77a-c0dcae3b96d7"); z.Parent != "351f4038-244d-4de5-bfa0-00c17f2a1fa2" || z.Trust != model.TrustUntrusted {
		t.Errorf("sandbox zone = %+v", z)
	}
	if c := importer.TestFind(t, m.Components, compID, "4820ec3a-9841-4baf-a38c-2fa596014274"); c.Zone != "9cbb5581-99cc-463b-a77a-c0dcae3b96d7" || c.Kind != model.KindDatastore || c.OutOfScope {
		t.Errorf("sandbox mongo = %+v", c)
	}

	m = load(t, "otm_file_example.otm")
	c := importer.TestFind(t, m.Components, compID, "a25f8e7a-e386-4cfe-9100-456dccbca545")
	if c.Zone != "b61d6911-338d-46a8-9f39-8dcd24abfe91" || c.Props["parent_component"] != "22139da0-2e4a-4336-a7af-c2d889e5b77e" {
		t.Errorf("component under a component = %+v", c)
	}

	m = load(t, "mtmt_example.yaml")
	th := importer.TestFind(t, m.Threats, threatID, "threat:55@53245f54-0656-4ede-a393-357aeaa2e20f")
	mi := importer.TestFind(t, m.Mitigations, mitigationID, "mitigation:55@53245f54-0656-4ede-a393-357aeaa2e20f")
	if th.Status != model.ThreatOpen || th.RawStatus != "AutoGenerated" || mi.Status != model.MitigationRecommended || mi.RawStatus != "RECOMMENDED" ||
		!slices.Equal(mi.Threats, []string{th.ID}) {
		t.Errorf("threat %+v\nmitigation %+v", th, mi)
	}
	if z := importer.TestFind(t, load(t, "mobile-cloud.otm.json").Zones, zoneID, "b61d6911-338d-46a8-9f39-8dcd24abfe91"); z.Name != "Public Cloud" || z.Trust != model.TrustUntrusted {
		t.Errorf("public cloud zone = %+v", z)
	}
}
