package config

import (
	"strings"
	"testing"
)

// requests.due_days is a whole number of days from 1 to 365; without it a
// request is due 14 days after the as-of date.
func TestRequestDueDays(t *testing.T) {
	base := string(demo(t))
	c, err := Parse("auditpack.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	if c.DueDays() != DefaultDueDays {
		t.Errorf("default due days %d, want %d", c.DueDays(), DefaultDueDays)
	}
	c, err = Parse("auditpack.yaml", []byte(base+"requests: {due_days: 30}\n"))
	if err != nil || c.DueDays() != 30 {
		t.Fatalf("due_days 30: %v, %v", c, err)
	}
	for _, bad := range []string{"0", "366", "7.5", `"14"`} {
		_, err := Parse("auditpack.yaml", []byte(base+"requests: {due_days: "+bad+"}\n"))
		if err == nil || !strings.Contains(err.Error(), "/requests/due_days") {
			t.Errorf("due_days %s: %v, want an error at /requests/due_days", bad, err)
		}
	}
	if _, err := Parse("auditpack.yaml", []byte(base+"requests: {due: 3}\n")); err == nil {
		t.Error("an unknown key under requests must be refused")
	}
	// A zone's owner is a name: an empty one is refused, a given one read.
	if _, err := Parse("auditpack.yaml", []byte(strings.Replace(base, "{match: {id: cde}, tags: [cde]}", `{match: {id: cde}, tags: [cde], owner: ""}`, 1))); err == nil ||
		!strings.Contains(err.Error(), "/overlay/zones/0/owner") {
		t.Errorf("empty zone owner: %v", err)
	}
	c, err = Parse("auditpack.yaml", []byte(strings.Replace(base, "{match: {id: cde}, tags: [cde]}", `{match: {id: cde}, tags: [cde], owner: Payments}`, 1)))
	if err != nil || c.Overlay.Zones[0].Owner != "Payments" {
		t.Errorf("zone owner: %v", err)
	}
}
