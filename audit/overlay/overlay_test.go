package overlay

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

func sample() *model.Model {
	return &model.Model{
		Title:      "m",
		Zones:      []model.Zone{{ID: "z1", Name: "Payments VPC"}},
		DataAssets: []model.DataAsset{{ID: "d1", Name: "Card number"}, {ID: "d2", Name: "Email"}},
		Components: []model.Component{{ID: "c1", Name: "API", Kind: model.KindProcess, Zone: "z1"}},
		Mitigations: []model.Mitigation{
			{ID: "m1", Title: "Use TLS 1.3 everywhere", Status: model.MitigationImplemented},
			{ID: "m2", Title: "Rate limiting", Description: "per client", Status: model.MitigationUnknown},
		},
	}
}

func TestApply(t *testing.T) {
	m := sample()
	o := &Overlay{
		AddDataAssets: []model.DataAsset{{ID: "d3", Name: "Customer data", Classifications: []string{"pii"}}},
		AddMitigations: []model.Mitigation{{ID: "m3", Title: "TLS on every link", Status: model.MitigationImplemented,
			Targets: []string{"c1"}, Provides: []model.Provision{{Capability: "encrypt-in-transit"}}}},
		DataAssets: []DataAssetEntry{{Match: Match{Name: "card NUMBER"}, Classifications: []string{"pan"}}},
		Zones:      []ZoneEntry{{Match: Match{ID: "z1"}, Tags: []string{"cde"}, Trust: model.TrustTrusted}},
		Components: []ComponentEntry{{Match: Match{ID: "c1"}, Type: "api", Processes: []string{"d1"}}},
		Mitigations: []MitigationEntry{
			{Match: Match{Pattern: `(?i)\btls 1\.[23]\b`}, Provides: []model.Provision{{Capability: "encrypt-in-transit"}}},
			{Match: Match{ID: "m2"}, Status: model.MitigationPlanned, Targets: []string{"c1"}},
			{Match: Match{ID: "nope"}, Status: model.MitigationPlanned},
		},
		Flows: []FlowEntry{{Match: Match{ID: "absent"}, Interactive: Known(model.True)}},
	}
	got, warns, err := Apply(m, o)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.DataAssets[0].Classifications, []string{"pan"}) || len(got.DataAssets[1].Classifications) != 0 {
		t.Errorf("classification by case-insensitive name: %+v", got.DataAssets)
	}
	if len(got.Mitigations) != 3 || got.Mitigations[2].Ref != "/overlay/add_mitigations/0" || len(m.Mitigations) != 2 {
		t.Errorf("declared mitigation: %+v", got.Mitigations)
	}
	if len(got.DataAssets) != 3 || got.DataAssets[2].Ref != "/overlay/add_data_assets/0" || len(m.DataAssets) != 2 {
		t.Errorf("declared data asset: %+v", got.DataAssets)
	}
	if got.Zones[0].Trust != model.TrustTrusted || !slices.Equal(got.Zones[0].Tags, []string{"cde"}) {
		t.Errorf("zone: %+v", got.Zones[0])
	}
	if got.Components[0].Type != "api" || got.Mitigations[0].Provides[0].Capability != "encrypt-in-transit" {
		t.Errorf("component or pattern match: %+v %+v", got.Components[0], got.Mitigations[0])
	}
	if got.Mitigations[1].Status != model.MitigationPlanned || !slices.Equal(got.Mitigations[1].Targets, []string{"c1"}) {
		t.Errorf("mitigation status/targets: %+v", got.Mitigations[1])
	}
	if len(warns) != 2 || warns[0].Pointer != "/overlay/flows/0" || warns[1].Pointer != "/overlay/mitigations/2" {
		t.Errorf("want warnings for the two entries that match nothing, got %+v", warns)
	}
	if len(m.DataAssets[0].Classifications) != 0 || len(m.Zones[0].Tags) != 0 || m.Mitigations[0].Provides != nil {
		t.Error("Apply must not change its input")
	}
	if _, err := model.New(got); err != nil {
		t.Errorf("overlaid model is invalid: %v", err)
	}
}

func TestBadPatternIsAnError(t *testing.T) {
	_, _, err := Apply(sample(), &Overlay{Mitigations: []MitigationEntry{{Match: Match{Pattern: "("}}}})
	if err == nil {
		t.Fatal("an invalid pattern must be an error")
	}
}

// factModel has a flow and a store whose facts the export stated.
func factModel() *model.Model {
	return &model.Model{
		Title: "m",
		Components: []model.Component{
			{ID: "c1", Name: "API", Kind: model.KindProcess},
			{ID: "s1", Name: "DB", Kind: model.KindDatastore, EncryptedAtRest: model.False, StoresCredentials: model.True,
				StoresLogs: model.False, InternetFacing: model.True, Authenticates: model.True},
		},
		Flows: []model.Flow{{ID: "f1", Name: "query", Source: "c1", Target: "s1",
			Encrypted: model.False, Authenticated: model.True, PublicNetwork: model.True, Interactive: model.False, Admin: model.True}},
	}
}

// decodeOverlay reads YAML through the overlay schema, as the project
// configuration does, so that the schema and the Go type are tested together.
func decodeOverlay(t *testing.T, src string) (*Overlay, error) {
	t.Helper()
	schema := schemadoc.MustCompile("https://auditpack.invalid/schemas/overlay/v1", Schema())
	o := &Overlay{}
	_, err := schemadoc.Decode("overlay.yaml", []byte(src), schema, o)
	return o, err
}

// A fact can be set either way, reset to unknown with null or "unknown",
// and an absent key keeps what the export stated.
func TestFacts(t *testing.T) {
	type facts struct{ enc, auth, pub, inter, admin, rest, creds, logs, inet, authn model.Tri }
	imported := facts{model.False, model.True, model.True, model.False, model.True,
		model.False, model.True, model.False, model.True, model.True}
	tests := []struct {
		name, flow, comp string
		want             facts
	}{
		{"absent keys keep the imported values", "tags: [x]", "tags: [x]", imported},
		{"set true", "encrypted: true", "encrypted_at_rest: true",
			facts{model.True, model.True, model.True, model.False, model.True, model.True, model.True, model.False, model.True, model.True}},
		{"set false", "authenticated: false\n    public_network: false", "stores_credentials: false\n    authenticates: false",
			facts{model.False, model.False, model.False, model.False, model.True, model.False, model.False, model.False, model.True, model.False}},
		{"null resets to unknown", "encrypted: null\n    admin: null\n    interactive: ~", "encrypted_at_rest: null\n    internet_facing: ~",
			facts{model.Unknown, model.True, model.True, model.Unknown, model.Unknown, model.Unknown, model.True, model.False, model.Unknown, model.True}},
		{"\"unknown\" resets to unknown", "authenticated: unknown\n    public_network: \"unknown\"", "stores_logs: unknown\n    stores_credentials: unknown",
			facts{model.False, model.Unknown, model.Unknown, model.False, model.True, model.False, model.Unknown, model.Unknown, model.True, model.True}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "flows:\n  - match: {id: f1}\n    " + tt.flow + "\ncomponents:\n  - match: {id: s1}\n    " + tt.comp + "\n"
			o, err := decodeOverlay(t, src)
			if err != nil {
				t.Fatalf("%s\n%v", src, err)
			}
			in := factModel()
			got, warns, err := Apply(in, o)
			if err != nil || len(warns) != 0 {
				t.Fatalf("Apply: %v %+v", err, warns)
			}
			f, c := got.Flows[0], got.Components[1]
			have := facts{f.Encrypted, f.Authenticated, f.PublicNetwork, f.Interactive, f.Admin,
				c.EncryptedAtRest, c.StoresCredentials, c.StoresLogs, c.InternetFacing, c.Authenticates}
			if have != tt.want {
				t.Errorf("facts = %v\nwant    %v", have, tt.want)
			}
			if in.Flows[0].Encrypted != model.False || in.Components[1].EncryptedAtRest != model.False {
				t.Error("Apply must not change its input")
			}
		})
	}
}

func TestFactRefusesOtherValues(t *testing.T) {
	for _, v := range []string{"yes", "1", `"true"`, `"Unknown"`, "{}"} {
		if _, err := decodeOverlay(t, "flows:\n  - match: {id: f1}\n    encrypted: "+v+"\n"); err == nil {
			t.Errorf("encrypted: %s was accepted", v)
		}
		var f Fact
		if err := json.Unmarshal([]byte(v), &f); err == nil {
			t.Errorf("Fact accepted %s", v)
		}
	}
	// The Go type accepts exactly what the schema does.
	for in, want := range map[string]Fact{"true": Known(model.True), "false": Known(model.False), "null": Known(model.Unknown), `"unknown"`: Known(model.Unknown)} {
		var f Fact
		if err := json.Unmarshal([]byte(in), &f); err != nil || f != want {
			t.Errorf("Unmarshal(%s) = %+v, %v; want %+v", in, f, err, want)
		}
	}
	// An unset fact is left out, a set one written as the model writes it.
	b, err := json.Marshal(FlowEntry{Match: Match{ID: "f1"}, Encrypted: Known(model.Unknown), Admin: Known(model.True)})
	if err != nil || string(b) != `{"match":{"id":"f1"},"admin":true,"encrypted":null}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
}

// Hosts and resources reach the model through the schema, add to what an
// earlier entry gave, and leave the caller's model unchanged; an empty
// name is refused at its place.
func TestHostsAndResources(t *testing.T) {
	o, err := decodeOverlay(t, "components:\n"+
		"  - {match: {id: s1}, hosts: [db.internal, \"10.0.3.4:5432\"], resources: [\"arn:aws:rds:eu-west-1:1:db:ledger\"]}\n"+
		"  - {match: {name: db}, hosts: [db.internal, db-replica.internal]}\n"+
		"flows:\n  - {match: {id: f1}, hosts: [\"db.internal:5432\"]}\n")
	if err != nil {
		t.Fatal(err)
	}
	m := factModel()
	got, warns, err := Apply(m, o)
	if err != nil || len(warns) != 0 {
		t.Fatalf("apply: %v %v", err, warns)
	}
	s := got.Components[1]
	if !slices.Equal(s.Hosts, []string{"db.internal", "10.0.3.4:5432", "db-replica.internal"}) ||
		!slices.Equal(s.Resources, []string{"arn:aws:rds:eu-west-1:1:db:ledger"}) {
		t.Errorf("component hosts %v resources %v", s.Hosts, s.Resources)
	}
	if !slices.Equal(got.Flows[0].Hosts, []string{"db.internal:5432"}) {
		t.Errorf("flow hosts %v", got.Flows[0].Hosts)
	}
	if m.Components[1].Hosts != nil || m.Flows[0].Hosts != nil {
		t.Errorf("the caller's model changed: %v %v", m.Components[1].Hosts, m.Flows[0].Hosts)
	}
	if _, err := decodeOverlay(t, "flows:\n  - {match: {id: f1}, resources: [\"\"]}\n"); err == nil || !strings.Contains(err.Error(), "/flows/0/resources/0") {
		t.Errorf("an empty resource name: %v", err)
	}
}
