package mappings_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/mappings"
)

// A kind stands only for itself and its synonyms: an internal scan never
// for an ASV scan, and a generic scan result for no specific kind.
func TestAcceptsKind(t *testing.T) {
	for _, c := range []struct {
		accepted []string
		item     string
		want     bool
	}{
		{[]string{"asv-scan"}, "asv-scan", true},
		{[]string{"asv-scan"}, "internal-vulnerability-scan", false},
		{[]string{"asv-scan"}, "scan-result", false},
		{[]string{"penetration-test-external"}, "test-result", false},
		{[]string{"penetration-test-external"}, "penetration-test-internal", false},
		{[]string{"configuration"}, "configuration-export", true},
		{[]string{"configuration-export"}, "configuration", true},
		{[]string{"policy-document"}, "policy", true},
		{[]string{"scan-result"}, "scan-result", true},
		{[]string{"scan-result"}, "asv-scan", false},
	} {
		if got := mappings.AcceptsKind(c.accepted, c.item); got != c.want {
			t.Errorf("AcceptsKind(%v, %q) = %v, want %v", c.accepted, c.item, got, c.want)
		}
	}
}

func TestKindVocabularyIsSortedAndResolves(t *testing.T) {
	ids := mappings.EvidenceKindIDs()
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Fatalf("kind ids not sorted and unique: %v", ids)
	}
	for _, k := range mappings.EvidenceKinds() {
		if k.Label == "" || k.Meaning == "" {
			t.Errorf("%s: needs a label and a meaning", k.ID)
		}
		if k.SameAs != "" {
			if t2, ok := mappings.KindByID(k.ID); !ok || t2.ID != k.SameAs || t2.SameAs != "" {
				t.Errorf("%s: synonym of %q does not resolve to a kind", k.ID, k.SameAs)
			}
		}
		for _, p := range k.Pass {
			if p.Says == "" {
				t.Errorf("%s: a pass fact needs words", k.ID)
			}
		}
	}
	for _, id := range []string{"asv-scan", "segmentation-test", "internal-vulnerability-scan", "penetration-test-internal", "tls-scan", "access-review", "aoc", "soc-report"} {
		if _, ok := mappings.KindByID(id); !ok {
			t.Errorf("kind %s missing", id)
		}
	}
}

func TestLintKindsAndOccurrences(t *testing.T) {
	src := `schema: auditpack/rules/v1
ruleset: {id: t, version: "1", title: t}
rules:
  - id: r1
    title: scans
    satisfies: [{control: "pci-dss@4.0.1:11.3.2", relationship: subset-of}]
    applies_to: {element: system}
    evidence:
      - {id: asv, kinds: [asv-scan, scan-result], per: rule}
      - {id: q, kinds: [internal-vulnerability-scan], per: rule, occurrences: {count: 4, every_days: 92, within_days: 200}}
      - {id: s, kinds: [access-review], per: rule, occurrences: {count: 2, every_days: 182, within_days: 365, spread_over_period: true}}
      - {id: ok, kinds: [internal-vulnerability-scan], per: rule, occurrences: {count: 4, every_days: 92, within_days: 365, passing: true}}
`
	rs, err := mappings.Parse("k.rules.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	err = mappings.Lint([]*mappings.RuleSet{rs}, resolver(t))
	var le *mappings.LintError
	if !errors.As(err, &le) {
		t.Fatalf("want *LintError, got %v", err)
	}
	for _, want := range []string{
		`k.rules.yaml:9: at /rules/0/evidence/0/kinds/1: rule "r1": the generic kind "scan-result"`,
		"at /rules/0/evidence/1/occurrences: rule \"r1\": 4 items every 92 days span 276 days, more than within_days (200)",
		"at /rules/0/evidence/2/occurrences/within_days",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("lint output lacks %q:\n%s", want, err)
		}
	}
	if n := len(le.Problems); n != 3 {
		t.Errorf("%d problems, want 3:\n%s", n, err)
	}
}
