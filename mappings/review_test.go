package mappings_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/mappings"
)

// A rule with no requires whose only evidence is optional, and nothing
// else that can fail, is satisfied on any model with no support at all:
// lint must refuse it as it refuses a rule with nothing to check.
func TestReviewLintRefusesRuleWithOnlyOptionalEvidence(t *testing.T) {
	src := `schema: auditpack/rules/v1
ruleset: {id: t, version: "1", title: t}
rules:
  - id: physical-badges
    title: Badge logs are kept
    satisfies: [{control: "aicpa-tsc@2017-pof2022:CC6.4", relationship: subset-of}]
    applies_to: {element: system}
    evidence:
      - {id: badge-log, kinds: [log-sample], per: rule, optional: true}
`
	rs, err := mappings.Parse("own.rules.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	err = mappings.Lint([]*mappings.RuleSet{rs}, resolver(t))
	var le *mappings.LintError
	if !errors.As(err, &le) {
		t.Fatalf("lint accepted a rule that can never fail (err %v)", err)
	}
	if !strings.Contains(err.Error(), "own.rules.yaml:") || !strings.Contains(err.Error(), "/rules/0") {
		t.Errorf("lint error does not name the file and the rule: %v", err)
	}
}
