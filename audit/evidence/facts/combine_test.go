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
