package otm

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
		"MTMT_MVP.startleft.otm":   {"0.2.0", importer.Counts{Processes: 1, Datastores: 2, ExternalEntities: 1, Flows: 6, Zones: 2, Threats: 43, Mitigations: 43, Warnings: 1}},
		"manual_threat_model.yaml": {"0.1.0", importer.Counts{Processes: 1, Datastores: 1, ExternalEntities: 1, Flows: 2, Zones: 3}},
		"mobile-cloud.otm.json":    {"0.1.0", importer.Counts{Processes: 1, Datastores: 2, ExternalEntities: 1, Flows: 6, Zones: 2, Threats: 43, Mitigations: 43, Warnings: 1}},
		"mtmt_example.yaml":        {"0.1.0", importer.Counts{Processes: 1, Datastores: 2, ExternalEntities: 1, Flows: 6, Zones: 3, Threats: 43, Mitigations: 43, Warnings: 1}},
		"nested_tz.otm":            {"0.2.0", importer.Counts{Processes: 1, Datastores: 2, ExternalEntities: 1, Flows: 2, Zones: 3, Warnings: 1}},
		"otm_file_example.otm":     {"0.1.0", importer.Counts{Processes: 20, ExternalEntities: 2, Flows: 22, Zones: 2, Warnings: 1}},
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
	if z := importer.TestFind(t, m.Zones, zoneID, "9cbb5581-99cc-463b-a77a-c0dcae3b96d7"); z.Parent != "351f4038-244d-4de5-bfa0-00c17f2a1fa2" || z.Trust != "" {
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
	if z := importer.TestFind(t, load(t, "mobile-cloud.otm.json").Zones, zoneID, "b61d6911-338d-46a8-9f39-8dcd24abfe91"); z.Name != "Public Cloud" || z.Trust != "" {
		t.Errorf("public cloud zone = %+v", z)
	}
}

// StartLeft rates every zone 10 whatever its source said, so a rating that
// all zones share is a converter's filler: trust stays unknown, except for
// a zone named Internet, with one warning. Ratings that differ are the
// author's and keep their meaning.
func TestConstantTrustRatingIsUnknown(t *testing.T) {
	zones := func(ratings ...string) string {
		var b strings.Builder
		b.WriteString(`{"otmVersion":"0.2.0","project":{"name":"p","id":"p"},"trustZones":[`)
		for i, r := range ratings {
			if i > 0 {
				b.WriteString(",")
			}
			name := fmt.Sprintf("Zone %d", i)
			if i == 0 {
				name = "Internet"
			}
			fmt.Fprintf(&b, `{"id":"z%d","name":%q,"risk":{"trustRating":%s}}`, i, name, r)
		}
		b.WriteString("]}")
		return b.String()
	}
	tests := []struct {
		name    string
		in      string
		want    []string // trust of z0 (Internet), z1, …
		warning bool
	}{
		{"StartLeft's constant", zones("10", "10", "10"), []string{model.TrustPublic, "", ""}, true},
		{"any shared rating", zones("90", "90"), []string{model.TrustPublic, ""}, true},
		{"ratings that differ", zones("10", "90", "60"), []string{model.TrustPublic, model.TrustTrusted, model.TrustSemiTrusted}, false},
		{"one zone rated 10", zones("10"), []string{model.TrustPublic}, true},
		{"one zone rated 90", zones("90"), []string{model.TrustPublic}, false},
		{"a missing rating breaks the pattern", strings.Replace(zones("50", "50"), `,"risk":{"trustRating":50}}]`, `}]`, 1),
			[]string{model.TrustPublic, ""}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Decode(nil, "z.otm", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tt.want {
				if got := m.Zones[i].Trust; got != want {
					t.Errorf("zone %d trust = %q, want %q", i, got, want)
				}
			}
			warned := len(m.Warnings) == 1 && m.Warnings[0].Ref == "/trustZones" && strings.Contains(m.Warnings[0].Message, "left unknown")
			if warned != tt.warning {
				t.Errorf("warnings = %+v, want a constant-rating warning: %v", m.Warnings, tt.warning)
			}
		})
	}
	// The real StartLeft conversion of MTMT_MVP rates its private cloud 10:
	// not "untrusted" any more, just unknown.
	m := load(t, "MTMT_MVP.startleft.otm")
	if z := importer.TestFind(t, m.Zones, zoneID, "24cdf4da-ac7f-4a35-bab0-29256d4169bf"); z.Name != "Private Secured Cloud" || z.Trust != "" {
		t.Errorf("private cloud = %+v", z)
	}
	if z := importer.TestFind(t, m.Zones, zoneID, "75605184-4ca0-43be-ba4c-5fa5ad15e367"); z.Trust != model.TrustPublic {
		t.Errorf("internet = %+v", z)
	}
}
