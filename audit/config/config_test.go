package config

import (
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/example"
)

func demo(t testing.TB) []byte {
	data, err := fs.ReadFile(example.FS(), example.Dir+"/auditpack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseDemo(t *testing.T) {
	c, err := Parse("auditpack.yaml", demo(t))
	if err != nil {
		t.Fatal(err)
	}
	if c.AsOf != "2026-11-15" || c.Overlay == nil || len(c.Overlay.Mitigations) == 0 || len(c.Frameworks) != 2 {
		t.Fatalf("unexpected config: %+v", c)
	}
	s, e := c.PeriodTimes()
	if s.IsZero() || !e.After(s) {
		t.Fatal("period not parsed")
	}
}

func TestParseErrors(t *testing.T) {
	base := string(demo(t))
	tests := []struct{ edit, want string }{
		{strings.Replace(base, `as_of: "2026-11-15"`, `as_of: "2026-13-15"`, 1), "/as_of: not a valid date"},
		{strings.Replace(base, `end: "2026-11-30"`, `end: "2024-11-30"`, 1), "/audit_period/end: the period ends"},
		{strings.Replace(base, "classifications: [pan]}", "classifications: [PAN]}", 1), "/overlay/data_assets/0/classifications/0"},
		{strings.Replace(base, "model: model.yaml", "modle: model.yaml", 1), "auditpack.yaml:"},
		{strings.Replace(base, "classifications: [pan]}", "classifications: [card]}", 1),
			`auditpack.yaml:13: at /overlay/data_assets/0/classifications/0: unknown classification "card"`},
		{strings.Replace(base, "params: {min_tls_version:", "params: {min_tls:", 1),
			`auditpack.yaml:38: at /overlay/mitigations/0/provides/0/params/min_tls: unknown parameter "min_tls" of encrypt-in-transit (known: cert_validation, min_tls_version, mutual_auth, protocol)`},
		{strings.Replace(base, "cert_validation: true}}]", "cert_validation: yes}}]", 1),
			`at /overlay/mitigations/0/provides/0/params/cert_validation: parameter "cert_validation" of encrypt-in-transit must be a boolean, not the string "yes"`},
		{strings.Replace(base, "capability: encrypt-in-transit,", "capability: encrypt-in-transport,", 1),
			`at /overlay/mitigations/0/provides/0/capability: unknown capability "encrypt-in-transport"`},
		{strings.Replace(base, `date: "2026-11-14"`, `date: "2026-02-30"`, 1), `at /prepared_by/date: not a valid date: "2026-02-30"`},
		{strings.Replace(base, `, date: "2026-11-15"}`, "}", 1), "/reviewed_by"},
		{strings.Replace(base, `name: "R. Iyer, CISO"`, `name: " "`, 1), "/reviewed_by/name"},
	}
	for _, tt := range tests {
		if _, err := Parse("auditpack.yaml", []byte(tt.edit)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("want %q, got %v", tt.want, err)
		}
	}
}

func TestSignOff(t *testing.T) {
	c, err := Parse("auditpack.yaml", demo(t))
	if err != nil {
		t.Fatal(err)
	}
	if c.ReviewedBy == nil || *c.ReviewedBy != (SignOff{Name: "R. Iyer, CISO", Date: "2026-11-15"}) {
		t.Errorf("reviewed_by = %+v", c.ReviewedBy)
	}
}

// The configuration reads overlay facts through the overlay's own schema:
// null and "unknown" reset a fact, true and false state it, anything else
// is refused with the place of the value.
func TestOverlayFacts(t *testing.T) {
	const head = "schema: auditpack/config/v1\norganisation: o\nsystem: s\nmodel: m.yaml\noverlay:\n"
	c, err := Parse("a.yaml", []byte(head+"  flows:\n    - {match: {id: f}, encrypted: null, admin: unknown}\n"+
		"  components:\n    - {match: {id: s}, encrypted_at_rest: false, internet_facing: unknown}\n"))
	if err != nil {
		t.Fatal(err)
	}
	f, comp := c.Overlay.Flows[0], c.Overlay.Components[0]
	if !f.Encrypted.Set || f.Encrypted.Value.Known() || !f.Admin.Set || f.Interactive.Set ||
		!comp.EncryptedAtRest.Set || comp.EncryptedAtRest.Value.String() != "false" || !comp.InternetFacing.Set || comp.Authenticates.Set {
		t.Errorf("flow %+v component %+v", f, comp)
	}
	_, err = Parse("a.yaml", []byte(head+"  components:\n    - {match: {id: s}, stores_logs: maybe}\n"))
	if err == nil || !strings.Contains(err.Error(), "/overlay/components/0/stores_logs") {
		t.Errorf("stores_logs: maybe: %v", err)
	}
}

func TestDefaultFrameworks(t *testing.T) {
	c, err := Parse("a.yaml", []byte("schema: auditpack/config/v1\norganisation: o\nsystem: s\nmodel: m.yaml\n"))
	if err != nil || len(c.Frameworks) != 2 {
		t.Fatalf("%+v %v", c, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(demo(f))
	f.Add([]byte("schema: auditpack/config/v1\norganisation: o\nsystem: s\nmodel: m.yaml\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if c, err := Parse("f.yaml", data); err == nil && c.Model == "" {
			t.Fatal("a valid configuration names a model")
		}
	})
}

// The example at the top of docs/configuration.md, applicability and
// sign-off included, is a valid configuration.
func TestDocumentedExampleParses(t *testing.T) {
	doc, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(doc), "```yaml\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("docs/configuration.md has no example")
	}
	c, err := Parse("configuration.md", []byte(block))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Overlay.Applicability) != 1 || c.PreparedBy == nil || c.ReviewedBy == nil {
		t.Errorf("the example lacks its applicability or sign-off: %+v %+v", c.Overlay.Applicability, c.PreparedBy)
	}
}
