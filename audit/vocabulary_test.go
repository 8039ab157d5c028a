package audit_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/overlay"
	"github.com/auditpack/auditpack/mappings"
)

func vocabModel() *model.Model {
	return &model.Model{Title: "t", Source: model.Source{File: "model.yaml"},
		Zones: []model.Zone{
			{ID: "cde", Name: "CDE", Tags: []string{"Cde"}, Ref: "/zones/0"},
			{ID: "seg", Name: "Segment", Tags: []string{"pci_seg", "dmz"}, Ref: "/zones/1"},
		},
		Components: []model.Component{{ID: "api", Name: "API", Kind: model.KindProcess, Zone: "cde", Ref: "/components/0"}},
		DataAssets: []model.DataAsset{{ID: "card", Name: "Card data", Ref: "/data_assets/0"}},
	}
}

// TestRunWarnsAboutNearMissTags: a tag close to one that a rule reads
// (built in, or of a project's own rule set) is a warning naming the file,
// the place and the tag meant, from the model and the overlay alike.
func TestRunWarnsAboutNearMissTags(t *testing.T) {
	own := &mappings.RuleSet{Rules: []mappings.Rule{{ID: "own", AppliesTo: mappings.Selector{Element: "process",
		Where: &mappings.Predicate{Fn: "in_zone", Args: map[string]any{"zone_tags": []any{"pci-seg"}}}}}}}
	in := audit.Inputs{Model: vocabModel(), RuleSets: []*mappings.RuleSet{own}, OverlayFile: "auditpack.yaml",
		Overlay: &overlay.Overlay{
			Zones:      []overlay.ZoneEntry{{Match: overlay.Match{ID: "cde"}, Tags: []string{"CDE"}}},
			Components: []overlay.ComponentEntry{{Match: overlay.Match{ID: "nope"}, Tags: []string{"bespok"}}},
		}}
	res, err := audit.Run(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []audit.Warning{
		{Source: "auditpack.yaml: at /overlay/components/0", Message: "matches no element of the model"},
		{Source: "model.yaml: at /zones/0/tags/0", Message: `zone tag "Cde" is not one auditpack reads; did you mean "cde"?`},
		{Source: "model.yaml: at /zones/1/tags/0", Message: `zone tag "pci_seg" is not one auditpack reads; did you mean "pci-seg"?`},
		{Source: "auditpack.yaml: at /overlay/zones/0/tags/0", Message: `zone tag "CDE" is not one auditpack reads; did you mean "cde"?`},
		{Source: "auditpack.yaml: at /overlay/components/0/tags/0", Message: `component tag "bespok" is not one auditpack reads; did you mean "bespoke"?`},
	}
	if len(res.Warnings) != len(want) {
		t.Fatalf("got warnings %+v\nwant %+v", res.Warnings, want)
	}
	for i, w := range want {
		if res.Warnings[i] != w {
			t.Errorf("warning %d:\n got %+v\nwant %+v", i, res.Warnings[i], w)
		}
	}
}

// TestRunRefusesValuesOutsideClosedVocabularies: whoever builds the
// inputs, a value outside a closed vocabulary stops the run with every
// problem named, as an input error.
func TestRunRefusesValuesOutsideClosedVocabularies(t *testing.T) {
	m := vocabModel()
	m.DataAssets[0].Classifications = []string{"card"}
	in := audit.Inputs{Model: m, OverlayFile: "auditpack.yaml", Overlay: &overlay.Overlay{
		Mitigations: []overlay.MitigationEntry{{Match: overlay.Match{ID: "x"}, Provides: []model.Provision{{Capability: "tls"}}}},
	}}
	_, err := audit.Run(in)
	var ie *audit.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("want an input error, got %v", err)
	}
	for _, want := range []string{
		`model.yaml: at /data_assets/0/classifications/0: unknown classification "card"`,
		`auditpack.yaml: at /overlay/mitigations/0/provides/0/capability: unknown capability "tls"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}
