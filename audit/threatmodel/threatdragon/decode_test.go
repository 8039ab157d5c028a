package threatdragon

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

const samples = "../../../testdata/threatmodels/threat-dragon"

func load(t testing.TB, name string) *model.Model {
	t.Helper()
	return importer.TestDecode(t, os.DirFS(samples), name, Detect, Decode)
}

func TestSampleCounts(t *testing.T) {
	tests := map[string]struct {
		version string
		want    importer.Counts
	}{
		"Transpiled_Sample_Threat_Model.td-v1.json": {"1", importer.Counts{Processes: 2, Datastores: 1, ExternalEntities: 1, Flows: 6, Zones: 1, Threats: 29}},
		"cryptocurrency-wallet.json":                {"2.3.0", importer.Counts{Processes: 11, Datastores: 2, ExternalEntities: 2, Flows: 17, Zones: 2, Threats: 1, Mitigations: 1, Warnings: 3}},
		"demo-threat-model.v1.json":                 {"1", importer.Counts{Processes: 2, Datastores: 4, ExternalEntities: 1, Flows: 10, Zones: 4, DataAssets: 1, Threats: 14, Mitigations: 14}},
		"demo-threat-model.v2.0.json":               {"2.0", importer.Counts{Processes: 2, Datastores: 4, ExternalEntities: 1, Flows: 10, Zones: 3, DataAssets: 1, Threats: 14, Mitigations: 14}},
		"demo-threat-model.v2.3.0.json":             {"2.3.0", importer.Counts{Processes: 2, Datastores: 4, ExternalEntities: 1, Flows: 9, Zones: 3, DataAssets: 1, Threats: 14, Mitigations: 14, Warnings: 2}},
		"e2e-v1-model.json":                         {"1", importer.Counts{Processes: 1, ExternalEntities: 1, Flows: 2, Zones: 1, Threats: 3, Mitigations: 2}},
		"e2e-v2-model.2.0.0.json":                   {"2.0.0", importer.Counts{Processes: 1, ExternalEntities: 1, Flows: 2, Zones: 1, Threats: 1, Mitigations: 1}},
		"enter-the-dragon-3.json":                   {"1", importer.Counts{Processes: 1, Datastores: 1, ExternalEntities: 1, Flows: 4, Zones: 2, Threats: 3, Mitigations: 3}},
		"generic-cms.json":                          {"2.3.0", importer.Counts{Processes: 2, Datastores: 1, ExternalEntities: 2, Flows: 5, Zones: 1, Warnings: 1}},
		"iot-device.json":                           {"2.3.0", importer.Counts{Processes: 9, Datastores: 1, ExternalEntities: 1, Flows: 14, Zones: 1, Threats: 4, Mitigations: 4, Warnings: 2}},
		"new-model-empty.json":                      {"2.3.0", importer.Counts{}},
		"sokify.cookbook.json":                      {"1", importer.Counts{Processes: 5, Datastores: 2, ExternalEntities: 2, Flows: 10, Zones: 1, Warnings: 1}},
		"three-tier-web-app.json":                   {"2.3.0", importer.Counts{Processes: 3, Flows: 3, Zones: 2, Threats: 2, Mitigations: 2}},
	}
	files, _ := filepath.Glob(filepath.Join(samples, "*.json"))
	if len(files) != len(tests) {
		t.Errorf("%d sample files, %d expectations", len(files), len(tests))
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

func flowID(f model.Flow) string              { return f.ID }
func compID(c model.Component) string         { return c.ID }
func threatTitle(th model.Threat) string      { return th.Title }
func mitigationID(mi model.Mitigation) string { return mi.ID }

func TestDemoV1Facts(t *testing.T) {
	m := load(t, "demo-threat-model.v1.json")
	web := importer.TestFind(t, m.Flows, flowID, "56b56e8c-751d-4d8a-a9c7-6554c9f142ee")
	if web.Name != "Web Request" || web.Encrypted != model.True || web.PublicNetwork != model.True || web.Protocol != "HTTP/S" {
		t.Errorf("web request flow = %+v", web)
	}
	if !slices.Equal(web.Boundaries, []string{"64d52ab0-9733-4ae9-af1b-a347cbc13186"}) {
		t.Errorf("web request crosses %v", web.Boundaries)
	}
	cfg := importer.TestFind(t, m.Components, compID, "a25bbb4e-093f-4238-a620-31efdee452dc")
	if cfg.Name != "Worker Config" || cfg.StoresCredentials != model.True || !slices.Equal(cfg.Stores, []string{"td-stored-credentials"}) {
		t.Errorf("worker config = %+v", cfg)
	}
	if cfg.EncryptedAtRest != model.Unknown {
		t.Errorf("absent isEncrypted must stay unknown, got %v", cfg.EncryptedAtRest)
	}
	worker := importer.TestFind(t, m.Components, compID, "3e75b596-9c70-41b6-a2cf-a15899c254d3")
	if worker.Name != "Background Worker Process" || worker.Props["privilegeLevel"] != "executionContext =Limited" {
		t.Errorf("worker = %+v", worker)
	}
	th := importer.TestFind(t, m.Threats, threatTitle, "Data flow should use HTTP/S")
	if th.Status != model.ThreatMitigated || th.Severity != "high" || th.ID != web.ID+"/threat-1" || th.Ref != "/detail/diagrams/0/diagramJson/cells/9/threats/0" {
		t.Errorf("threat = %+v", th)
	}
	mi := importer.TestFind(t, m.Mitigations, mitigationID, th.ID+"-mitigation")
	if mi.Status != model.MitigationImplemented || !slices.Equal(mi.Targets, []string{web.ID}) || !slices.Equal(th.Mitigations, []string{mi.ID}) {
		t.Errorf("mitigation = %+v", mi)
	}
	open := importer.TestFind(t, m.Threats, threatTitle, "Accessing DB credentials")
	if open.Status != model.ThreatOpen || m.Mitigations[slices.IndexFunc(m.Mitigations, func(x model.Mitigation) bool { return x.ID == open.Mitigations[0] })].Status != model.MitigationRecommended {
		t.Errorf("open threat %+v should carry a recommended mitigation", open)
	}
}

func TestBoxesAndStatuses(t *testing.T) {
	m := load(t, "three-tier-web-app.json")
	ui := importer.TestFind(t, m.Components, compID, "5170eb10-abe9-48ec-8c74-b5ad508c28ef")
	db := importer.TestFind(t, m.Components, compID, "97731369-531c-4c22-b017-8428cff90ac1")
	if ui.Zone != "a10125fd-004a-44d9-b4a8-dffb49de91c4" || db.Zone != "c54864d8-740f-40cb-bbb9-6ba008a336b6" {
		t.Errorf("zones: web ui in %q, postgres in %q", ui.Zone, db.Zone)
	}
	if m.Zones[1].Name != "Public Cloud" || m.Zones[1].Ref != "/detail/diagrams/0/cells/1" {
		t.Errorf("zone = %+v", m.Zones[1])
	}
	if th := importer.TestFind(t, m.Threats, threatTitle, "Store Sensitive Data"); th.Status != model.ThreatMitigated || th.ID != "264eeb9a-f5b3-4224-93e7-ac0cb72f20de" {
		t.Errorf("threat = %+v", th)
	}
	bidi := importer.TestFind(t, m.Flows, flowID, "91ccf804-a9b8-45ca-ab35-992337903633")
	// isEncrypted false is the editor's default, not a statement.
	if !bidi.Bidirectional || bidi.Encrypted != model.Unknown {
		t.Errorf("flow = %+v", bidi)
	}

	na := importer.TestFind(t, load(t, "enter-the-dragon-3.json").Threats, threatTitle, "Denial of Service using high rate of requests")
	if na.Status != model.ThreatNotApplicable || na.RawStatus != "Not Applicable" || na.ID != "9e4e29a6-bd8a-42c2-8ffa-c05e57960d3f" {
		t.Errorf("v1 threat = %+v", na)
	}
	tba := importer.TestFind(t, load(t, "iot-device.json").Threats, threatTitle, "New STRIDE threat")
	if tba.Severity != "unknown" {
		t.Errorf("TBA severity = %q", tba.Severity)
	}
	crit := importer.TestFind(t, load(t, "cryptocurrency-wallet.json").Threats, threatTitle, "Authentication")
	if crit.Severity != "critical" || !slices.Equal(crit.Targets, []string{"474d7a5e-e8de-443d-9c22-36fdf8eb0843"}) {
		t.Errorf("critical threat = %+v", crit)
	}
}

func TestFreeEndIsWarned(t *testing.T) {
	m := load(t, "demo-threat-model.v2.3.0.json")
	w := m.Warnings[0]
	if w.Ref != "/detail/diagrams/0/cells/19/source" || !strings.Contains(w.Message, "free source end") {
		t.Errorf("warning = %+v", w)
	}
	for _, th := range m.Threats {
		if strings.HasPrefix(th.Ref, "/detail/diagrams/0/cells/19/") && len(th.Targets) != 0 {
			t.Errorf("threat of the dangling flow has targets %v", th.Targets)
		}
	}
}

func TestRefusesBrokenFiles(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"details", `{"summary":{"title":"x"},"details":{"diagrams":[]}}`, `broken.json: at /details: Threat Dragon keeps diagrams under "detail"`},
		{"version", `{"version":"3.0.0","summary":{},"detail":{"diagrams":[]}}`, `broken.json: at /version: unsupported Threat Dragon version "3.0.0"`},
		{"eof", "{\"summary\":{},\n\"detail\":", "broken.json: invalid JSON at line 2, column 9: unexpected EOF"},
		{"syntax", "{\"summary\":{},\n\"detail\": x}", "broken.json: invalid JSON at line 2, column 11: invalid character 'x'"},
		{"array", `[1,2]`, "broken.json: at /: the top-level value is not a JSON object"},
		{"diagrams", `{"summary":{},"detail":{"diagrams":{}}}`, "broken.json: at /detail/diagrams: not an array"},
		{"depth", strings.Repeat("[", maxDepth+1), "line 1: nesting is too deep (more than 128 levels)"},
		{"trailing", `{"summary":{},"detail":{"diagrams":[]}} {}`, "unexpected data after the top-level value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(nil, "broken.json", []byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
	big := make([]byte, maxSize+1)
	if _, err := Decode(nil, "big.json", big); err == nil || !strings.Contains(err.Error(), "more than the") {
		t.Errorf("oversized input: %v", err)
	}
}

func TestDetect(t *testing.T) {
	for in, want := range map[string]bool{
		"\xEF\xBB\xBF" + `{"summary":{},"detail":{"diagrams":[]}}`: true,
		`{"summary":{},"details":{"diagrams":[]}}`:                 true,
		`{"otmVersion":"0.2.0","project":{}}`:                      false,
		`{"summary":{},"detail":{}}`:                               false,
		`not json`:                                                 false,
	} {
		if got := Detect([]byte(in)); got != want {
			t.Errorf("Detect(%s) = %v", in, got)
		}
	}
}
