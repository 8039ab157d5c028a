package threagile

import (
	"os"
	"path"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
)

// samples is the shared fixture folder, relative to this package.
const samples = "../../../testdata/threatmodels/threagile"

func decodeSample(t testing.TB, name string) *model.Model {
	t.Helper()
	data, err := os.ReadFile(path.Join(samples, name))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Decode(os.DirFS(samples), name, data)
	if err != nil {
		t.Fatalf("Decode(%s): %v", name, err)
	}
	return m
}

func TestSamples(t *testing.T) {
	tests := []struct {
		file                                  string
		process, store, external              int
		flows, zones, data, threats, mitigate int
	}{
		{"threagile-example-model.yaml", 7, 3, 4, 20, 6, 12, 8, 7},
		{"threagile-stub-model.yaml", 2, 0, 0, 1, 1, 1, 1, 1},
		{"split-includes/main.yaml", 7, 3, 4, 20, 6, 12, 8, 7},
		{"automotive/jeep-demo.threagile.yaml", 6, 0, 1, 7, 3, 3, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m := decodeSample(t, tt.file)
			kinds := map[string]int{}
			for _, c := range m.Components {
				kinds[c.Kind]++
			}
			got := []int{kinds[model.KindProcess], kinds[model.KindDatastore], kinds[model.KindExternalEntity],
				len(m.Flows), len(m.Zones), len(m.DataAssets), len(m.Threats), len(m.Mitigations)}
			want := []int{tt.process, tt.store, tt.external, tt.flows, tt.zones, tt.data, tt.threats, tt.mitigate}
			names := []string{"processes", "datastores", "external entities", "flows", "zones", "data assets", "threats", "mitigations"}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s = %d, want %d", names[i], got[i], want[i])
				}
			}
			if _, err := model.New(m); err != nil {
				t.Errorf("model.New: %v", err)
			}
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

func find[T any](t *testing.T, list []T, id func(T) string, want string) T {
	t.Helper()
	for _, x := range list {
		if id(x) == want {
			return x
		}
	}
	t.Fatalf("%q not found", want)
	var zero T
	return zero
}

func flowByID(t *testing.T, m *model.Model, id string) model.Flow {
	return find(t, m.Flows, func(f model.Flow) string { return f.ID }, id)
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
			z := find(t, m.Zones, func(z model.Zone) string { return z.ID }, "web-dmz")
			if z.Parent != "application-network" || z.Trust != model.TrustTrusted {
				t.Errorf("web-dmz parent %q trust %q", z.Parent, z.Trust)
			}
			c := find(t, m.Components, func(c model.Component) string { return c.ID }, "customer-client")
			if !c.OutOfScope || c.OutOfScopeReason != "Owned and managed by end-user customer" || c.Zone != "internet" {
				t.Errorf("customer-client = %+v", c)
			}
			db := find(t, m.Components, func(c model.Component) string { return c.ID }, "sql-database")
			if db.Type != "database" || db.EncryptedAtRest != model.True || db.Zone != "erp-dmz" ||
				!contains(db.Tags, "shared-runtime:webapp-virtualization") {
				t.Errorf("sql-database = %+v", db)
			}
			th := find(t, m.Threats, func(x model.Threat) string { return x.ID }, "untrusted-deserialization@erp-system")
			if th.Status != model.ThreatAccepted || len(th.Targets) != 1 || th.Targets[0] != "erp-system" {
				t.Errorf("tracked risk = %+v", th)
			}
			ind := find(t, m.Threats, func(x model.Threat) string { return x.ID }, "something-strange@sql-database")
			if ind.Status != model.ThreatOpen || ind.Severity != "critical" || ind.Category != "Repudiation" ||
				ind.Title != "Example Individual Risk at Database" {
				t.Errorf("individual risk = %+v", ind)
			}
			mi := find(t, m.Mitigations, func(x model.Mitigation) string { return x.ID }, "ldap-injection@*@ldap-auth-server@*-mitigation")
			if mi.Status != model.MitigationImplemented || !strings.Contains(mi.Description, "XYZ-5678") {
				t.Errorf("tracked mitigation = %+v", mi)
			}
			// The merge key gives contract summaries the owner of customer contracts.
			d := find(t, m.DataAssets, func(d model.DataAsset) string { return d.ID }, "contract-summaries")
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
