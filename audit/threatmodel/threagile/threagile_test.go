package threagile

import (
	"os"
	"path"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

// samples is the shared fixture folder, relative to this package.
const samples = "../../../testdata/threatmodels/threagile"

func decodeSample(t testing.TB, name string) *model.Model {
	t.Helper()
	return importer.TestDecode(t, os.DirFS(samples), name, Detect, Decode)
}

func TestSamples(t *testing.T) {
	tests := []struct {
		file string
		want importer.Counts
	}{
		{"threagile-example-model.yaml", importer.Counts{Processes: 7, Datastores: 3, ExternalEntities: 4, Flows: 20, Zones: 6, DataAssets: 12, Threats: 8, Mitigations: 7, Warnings: 7}},
		{"threagile-stub-model.yaml", importer.Counts{Processes: 2, Flows: 1, Zones: 1, DataAssets: 1, Threats: 1, Mitigations: 1, Warnings: 3}},
		{"split-includes/main.yaml", importer.Counts{Processes: 7, Datastores: 3, ExternalEntities: 4, Flows: 20, Zones: 6, DataAssets: 12, Threats: 8, Mitigations: 7, Warnings: 7}},
		{"automotive/jeep-demo.threagile.yaml", importer.Counts{Processes: 6, ExternalEntities: 1, Flows: 7, Zones: 3, DataAssets: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m := decodeSample(t, tt.file)
			importer.TestCounts(t, m, tt.want)
			if m.Source.Format != "threagile" || m.Source.FormatVersion != "1.0.0" || m.Source.File != tt.file {
				t.Errorf("Source = %+v", m.Source)
			}
			for _, c := range m.Components {
				if c.Ref == "" {
					t.Errorf("component %s has no Ref", c.ID)
				}
			}
		})
	}
}

func flowByID(t *testing.T, m *model.Model, id string) model.Flow {
	return importer.TestFind(t, m.Flows, func(f model.Flow) string { return f.ID }, id)
}

func TestExampleFacts(t *testing.T) {
	for _, file := range []string{"threagile-example-model.yaml", "split-includes/main.yaml"} {
		t.Run(file, func(t *testing.T) {
			m := decodeSample(t, file)
			f := flowByID(t, m, "customer-client>customer-traffic")
			if f.Encrypted != model.True || f.Authenticated != model.True || f.PublicNetwork != model.True {
				t.Errorf("customer traffic: encrypted %v authenticated %v public %v", f.Encrypted, f.Authenticated, f.PublicNetwork)
			}
			if f.Source != "customer-client" || f.Target != "load-balancer" || !f.Bidirectional {
				t.Errorf("customer traffic ends = %s → %s bidirectional %v", f.Source, f.Target, f.Bidirectional)
			}
			ldap := flowByID(t, m, "identity-provider>ldap-credential-check-traffic")
			if ldap.Encrypted != model.True {
				t.Errorf("ldaps link encrypted = %v", ldap.Encrypted)
			}
			vpn := flowByID(t, m, "backoffice-client>erp-internal-access")
			if !contains(vpn.Tags, "vpn") {
				t.Errorf("vpn link tags = %v", vpn.Tags)
			}
			z := importer.TestFind(t, m.Zones, func(z model.Zone) string { return z.ID }, "web-dmz")
			if z.Parent != "application-network" || z.Trust != model.TrustTrusted {
				t.Errorf("web-dmz parent %q trust %q", z.Parent, z.Trust)
			}
			c := importer.TestFind(t, m.Components, func(c model.Component) string { return c.ID }, "customer-client")
			if !c.OutOfScope || c.OutOfScopeReason != "Owned and managed by end-user customer" || c.Zone != "internet" {
				t.Errorf("customer-client = %+v", c)
			}
			db := importer.TestFind(t, m.Components, func(c model.Component) string { return c.ID }, "sql-database")
			if db.Type != "database" || db.EncryptedAtRest != model.True || db.Zone != "erp-dmz" ||
				!contains(db.Tags, "shared-runtime:webapp-virtualization") {
				t.Errorf("sql-database = %+v", db)
			}
			th := importer.TestFind(t, m.Threats, func(x model.Threat) string { return x.ID }, "untrusted-deserialization@erp-system")
			if th.Status != model.ThreatAccepted || len(th.Targets) != 1 || th.Targets[0] != "erp-system" {
				t.Errorf("tracked risk = %+v", th)
			}
			ind := importer.TestFind(t, m.Threats, func(x model.Threat) string { return x.ID }, "something-strange@sql-database")
			if ind.Status != model.ThreatOpen || ind.Severity != "critical" || ind.Category != "Repudiation" ||
				ind.Title != "Example Individual Risk at Database" {
				t.Errorf("individual risk = %+v", ind)
			}
			mi := importer.TestFind(t, m.Mitigations, func(x model.Mitigation) string { return x.ID }, "ldap-injection@*@ldap-auth-server@*-mitigation")
			if mi.Status != model.MitigationImplemented || !strings.Contains(mi.Description, "XYZ-5678") {
				t.Errorf("tracked mitigation = %+v", mi)
			}
			// The merge key gives contract summaries the owner of customer contracts.
			d := importer.TestFind(t, m.DataAssets, func(d model.DataAsset) string { return d.ID }, "contract-summaries")
			if !strings.Contains(d.Description, "owner=Company XYZ") || d.Classifications[0] != "confidential" {
				t.Errorf("contract-summaries = %+v", d)
			}
		})
	}
}

func TestLinkID(t *testing.T) {
	for _, tt := range []struct{ src, title, want string }{
		{"customer-client", "Customer Traffic", "customer-client>customer-traffic"},
		{"a", "  --Git Repo (Code) Read Access!! ", "a>git-repo-code-read-access"},
		{"a", "Über_Link 2", "a>ber-link-2"},
	} {
		if got := linkID(tt.src, tt.title); got != tt.want {
			t.Errorf("linkID(%q, %q) = %q, want %q", tt.src, tt.title, got, tt.want)
		}
	}
}

func TestDetect(t *testing.T) {
	for _, f := range []string{"threagile-example-model.yaml", "split-includes/main.yaml", "automotive/jeep-demo.threagile.yaml"} {
		data, err := os.ReadFile(path.Join(samples, f))
		if err != nil {
			t.Fatal(err)
		}
		if !Detect(data) {
			t.Errorf("Detect(%s) = false", f)
		}
		if !Detect(append([]byte("\xEF\xBB\xBF"), data...)) {
			t.Errorf("Detect(BOM + %s) = false", f)
		}
	}
	for _, s := range []string{`{"otmVersion": "0.2.0"}`, "title: x\n", "  threagile_version: 1\n", ""} {
		if Detect([]byte(s)) {
			t.Errorf("Detect(%q) = true", s)
		}
	}
}
