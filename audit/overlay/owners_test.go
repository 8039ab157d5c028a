package overlay

import (
	"maps"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
)

// A zone entry's owner goes to every zone it matches; a later entry
// overrides an earlier one, and entries without an owner give none.
func TestZoneOwners(t *testing.T) {
	m := sample()
	m.Zones = append(m.Zones, model.Zone{ID: "z2", Name: "Corporate"}, model.Zone{ID: "z3", Name: "Payments DMZ"})
	o := &Overlay{Zones: []ZoneEntry{
		{Match: Match{Pattern: "^Payments"}, Owner: "Payments engineering"},
		{Match: Match{ID: "z3"}, Owner: "Edge team"},
		{Match: Match{ID: "z2"}, Tags: []string{"corporate"}},
	}}
	got, err := ZoneOwners(m, o)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"z1": "Payments engineering", "z3": "Edge team"}
	if !maps.Equal(got, want) {
		t.Errorf("owners %v, want %v", got, want)
	}
	if got, err := ZoneOwners(m, nil); err != nil || len(got) != 0 {
		t.Errorf("no overlay: %v, %v", got, err)
	}
	if _, err := ZoneOwners(m, &Overlay{Zones: []ZoneEntry{{Match: Match{Pattern: "("}, Owner: "x"}}}); err == nil {
		t.Error("a bad pattern must be refused")
	}
}
