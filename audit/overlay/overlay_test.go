package overlay

import (
	"slices"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
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
	tru := model.True
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
		Flows: []FlowEntry{{Match: Match{ID: "absent"}, Interactive: &tru}},
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
