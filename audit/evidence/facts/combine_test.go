package facts

import (
	"encoding/json"
	"testing"
)

// Lists combined from targets that all state an empty list are an empty
// list, not JSON null: a reader must see "no open ports", not "unknown".
func TestCombineEmptyListsAreEmpty(t *testing.T) {
	targets := []Fact{
		{Name: "network.open_ports", Value: []int{}, At: "/a", Target: "a"},
		{Name: "network.open_services", Value: []string{}, At: "/a", Target: "a"},
		{Name: "tls.protocols_offered", Value: []string{}, At: "/b", Target: "b"},
		{Name: "tls.protocols_offered", Value: []string{}, At: "/a", Target: "a"},
	}
	got := combine(targets, map[string]bool{})
	if len(got) != 3 {
		t.Fatalf("combined %d facts, want 3: %v", len(got), got)
	}
	for _, f := range got {
		b, _ := json.Marshal(f.Value)
		if string(b) != "[]" {
			t.Errorf("%s combined to %s, want []", f.Name, b)
		}
	}
}

// A target silent on a fact that speaks for every target leaves the
// whole-file value unknown: one host's lowest version, or its "no weak
// suite", never stands for a host whose protocols or suites were not
// tested. Lists of what was found still combine over the targets that
// give them.
func TestCombineSilentTargetLeavesClaimUnknown(t *testing.T) {
	targets := []Fact{
		{Name: "tls.cert_not_after", Value: "2027-06-01", At: "/0", Target: "acq:443"},
		{Name: "tls.protocols_untested", Value: []string{"SSLv2", "SSLv3", "1.0", "1.1", "1.2", "1.3"}, At: "/0", Target: "acq:443"},
		{Name: "tls.min_version", Value: "1.2", At: "/1", Target: "www:443"},
		{Name: "tls.max_version", Value: "1.3", At: "/1", Target: "www:443"},
		{Name: "tls.protocols_offered", Value: []string{"1.2", "1.3"}, At: "/1", Target: "www:443"},
		{Name: "tls.weak_ciphers_offered", Value: false, At: "/1", Target: "www:443"},
		{Name: "tls.cert_trusted", Value: true, At: "/1", Target: "www:443"},
		{Name: "scan.errors", Value: []string{"x"}, At: "/1", Target: "www:443"},
	}
	got := map[string]any{}
	for _, f := range combine(targets, map[string]bool{}) {
		got[f.Name] = f.Value
	}
	for _, n := range []string{"tls.min_version", "tls.max_version", "tls.protocols_offered", "tls.weak_ciphers_offered", "tls.cert_trusted", "tls.cert_not_after"} {
		if v, ok := got[n]; ok {
			t.Errorf("%s combined to %v, though a target is silent on it", n, v)
		}
	}
	for _, n := range []string{"tls.protocols_untested", "scan.errors"} {
		if _, ok := got[n]; !ok {
			t.Errorf("%s not combined; want the union of the targets that give it", n)
		}
	}
}
