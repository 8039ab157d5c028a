package mappings_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/mappings"
)

// Shipped rules check only what a threat model can show: every link is the technical
// part of a control, a subset of it or overlapping it, never the whole control.
func TestBuiltinRulesAreHonestAndActionable(t *testing.T) {
	sets, err := mappings.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	perFile := map[string]int{}
	for _, rs := range sets {
		perFile[rs.File] = len(rs.Rules)
		for _, r := range rs.Rules {
			if strings.TrimSpace(r.Remediation) == "" || r.Title == "" || r.Severity == "" {
				t.Errorf("%s: %s needs a title, a severity and a remediation hint", rs.File, r.ID)
			}
			for _, s := range r.Satisfies {
				if s.Coverage != "technical" || (s.Relationship != "subset-of" && s.Relationship != "intersects-with") {
					t.Errorf("%s: %s claims %s/%s for %s; shipped rules cover the technical part only",
						rs.File, r.ID, s.Relationship, s.Coverage, s.Control)
				}
			}
		}
	}
	for _, f := range []string{"iso27001", "nist-800-53", "nist-csf", "hipaa"} {
		if n := perFile["rules/"+f+".rules.yaml"]; n < 15 {
			t.Errorf("rules/%s.rules.yaml has %d rules, want at least 15 (files: %v)", f, n, perFile)
		}
	}
}

// Evidence collected for a capability under PCI DSS or SOC 2 must count for the other
// frameworks' rules that require the same capability: each of their evidence
// requirements accepts a kind the PCI DSS and SOC 2 rules accept for it.
func TestBuiltinRulesShareEvidenceKinds(t *testing.T) {
	sets, err := mappings.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	first := map[string][]string{} // capability -> evidence kinds of the PCI DSS and SOC 2 rules
	for _, rs := range sets {
		if !strings.HasPrefix(rs.Meta.ID, "auditpack-pci") && !strings.HasPrefix(rs.Meta.ID, "auditpack-soc2") {
			continue
		}
		for _, r := range rs.Rules {
			for _, c := range r.Requires.Capabilities() {
				for _, e := range r.Evidence {
					first[c] = append(first[c], e.Kinds...)
				}
			}
		}
	}
	for _, rs := range sets {
		if strings.HasPrefix(rs.Meta.ID, "auditpack-pci") || strings.HasPrefix(rs.Meta.ID, "auditpack-soc2") {
			continue
		}
		for _, r := range rs.Rules {
			for _, c := range r.Requires.Capabilities() {
				known, ok := first[c]
				if !ok {
					t.Errorf("%s: %s requires %s, which no PCI DSS or SOC 2 rule requires", rs.File, r.ID, c)
					continue
				}
				for _, e := range r.Evidence {
					if !slices.ContainsFunc(e.Kinds, func(k string) bool { return mappings.AcceptsKind(known, k) }) {
						t.Errorf("%s: %s evidence %s accepts %v, none of the kinds %v accepted for %s elsewhere",
							rs.File, r.ID, e.ID, e.Kinds, known, c)
					}
				}
			}
		}
	}
}
