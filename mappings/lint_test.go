package mappings_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/frameworks"
	"github.com/auditpack/auditpack/mappings"
)

func resolver(t *testing.T) func(string) error {
	t.Helper()
	reg, err := frameworks.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return mappings.Resolver(reg)
}

func TestBuiltinRulesLint(t *testing.T) {
	sets, err := mappings.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if err := mappings.Lint(sets, resolver(t)); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range sets {
		n += len(s.Rules)
	}
	if n < 30 {
		t.Errorf("ships %d rules, want at least 30", n)
	}
}

func TestLintFindsEveryProblem(t *testing.T) {
	src := `schema: auditpack/rules/v1
ruleset: {id: t, version: "1", title: t}
rules:
  - id: r1
    title: bad
    satisfies: [{control: "pci-dss@4.0.1:99.9.9", relationship: subset-of}]
    applies_to:
      element: dataflow
      where: {all: [{field: encryptd, op: eq, value: true}, {fn: in_zone, args: {zone_tag: [cde]}}]}
    requires: {capability: teleportation, located_at: destination}
  - id: r1
    title: dup
    satisfies: [{control: "aicpa-tsc@2017-pof2022:CC6.1", relationship: subset-of}]
    applies_to: {element: datastore}
    requires: {capability: mfa, located_at: source}
    evidence: [{id: e, kinds: [rumour], per: rule}]
`
	rs, err := mappings.Parse("bad.rules.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	err = mappings.Lint([]*mappings.RuleSet{rs}, resolver(t))
	var le *mappings.LintError
	if !errors.As(err, &le) {
		t.Fatalf("want *LintError, got %v", err)
	}
	for _, want := range []string{
		"bad.rules.yaml:6: at /rules/0/satisfies/0/control",
		`unknown field "encryptd"`,
		`has no argument "zone_tag"`,
		`unknown capability "teleportation"`,
		"duplicate rule id",
		`located_at "source" does not apply to datastore`,
		`unknown evidence kind "rumour"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("lint output lacks %q:\n%s", want, err)
		}
	}
}

func TestParseReportsLineAndPointer(t *testing.T) {
	src := "schema: auditpack/rules/v1\nruleset: {id: t, version: \"1\", title: t}\nrules:\n  - id: Bad_Id\n    title: x\n"
	_, err := mappings.Parse("x.rules.yaml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "x.rules.yaml:4: at /rules/0") {
		t.Fatalf("want an error at line 4 naming /rules/0, got %v", err)
	}
}
