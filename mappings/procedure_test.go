package mappings_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/mappings"
)

func builtinRule(t *testing.T, id string) mappings.Rule {
	t.Helper()
	sets, err := mappings.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, rs := range sets {
		for _, r := range rs.Rules {
			if r.ID == id {
				return r
			}
		}
	}
	t.Fatalf("no built-in rule %s", id)
	return mappings.Rule{}
}

// The procedure of a rule is what the rule does, sentence by sentence:
// the selection, the capability and where, the evidence and its age.
func TestProcedureOfBuiltinRules(t *testing.T) {
	tests := []struct {
		rule string
		want []string
	}{
		{"pci-1.3.1-inbound-cde-filtering", []string{
			"Selects every dataflow of the model where it crosses a zone boundary into a zone tagged cde or it crosses a zone boundary from outside the derived CDE into it.",
			"For each, looks for an implemented or inherited mitigation providing the capability traffic-filtering with params.default_deny is true at the zone boundaries it enters.",
			"Requires evidence \"nsc-ruleset\": one item for the rule as a whole, of kind configuration or posture-scan, at most 180 days old at the as-of date.",
			"When nothing in the model is in scope, asks an auditor to confirm the scope unless an attestation confirms it.",
		}},
		{"pci-11.4.1-penetration-testing", []string{
			"Applies once, to the system as a whole.",
			"Looks for an implemented or inherited mitigation providing the capability penetration-testing anywhere in the model.",
		}},
		{"pci-11.6.1-payment-page-change-detection", []string{
			"Before 2025-03-31 the requirement is not yet in effect and the rule reports not applicable.",
			"Selects every process of the model where type is payment-page.",
			"Requires evidence \"change-detection-run\" (records that the detection ran and alerted, weekly): one item for each element in scope, of kind log-sample or configuration, at most 7 days old at the as-of date; 4 items at most 7 days apart within the last 28 days.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			got := builtinRule(t, tt.rule).Procedure()
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("procedure lacks\n  %q\ngot:\n  %s", w, strings.Join(got, "\n  "))
				}
			}
		})
	}
}

// A procedure follows the rule: change the rule and the text changes.
func TestProcedureFollowsTheRule(t *testing.T) {
	r := builtinRule(t, "pci-1.3.1-inbound-cde-filtering")
	r.Evidence[0].MaxAgeDays = 30
	r.Requires.LocatedAt = mappings.AtExit
	got := strings.Join(r.Procedure(), "\n")
	for _, w := range []string{"at most 30 days old", "at the zone boundaries it leaves"} {
		if !strings.Contains(got, w) {
			t.Errorf("procedure of the edited rule lacks %q:\n%s", w, got)
		}
	}
}

func TestRemainingPrefersTheRulesOwnSteps(t *testing.T) {
	r := builtinRule(t, "pci-1.3.1-inbound-cde-filtering")
	r.AuditorSteps = []string{"Walk through the firewall change log with its owner."}
	if got := r.Remaining(); !slices.Equal(got, r.AuditorSteps) {
		t.Errorf("Remaining() = %q, want the rule's own steps", got)
	}
	r.AuditorSteps = nil
	got := strings.Join(r.Remaining(), "\n")
	for _, w := range []string{"no dataflow that belongs in scope is missing", "Read the evidence items themselves",
		"Test the parts of the requirement the rule does not check"} {
		if !strings.Contains(got, w) {
			t.Errorf("generic steps lack %q:\n%s", w, got)
		}
	}
	sys := builtinRule(t, "pci-11.4.1-penetration-testing")
	sys.AuditorSteps = nil
	if got := sys.Remaining(); !strings.HasPrefix(got[0], "Confirm by inquiry and inspection") {
		t.Errorf("a system rule's first step = %q", got[0])
	}
}
