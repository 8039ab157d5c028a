package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A rule file whose periodic requirement cannot be met, or that lets a
// generic kind stand for a specific one, is refused at its line and
// pointer, and lint writes nothing.
func TestRulesLintRefusesImpossibleOccurrencesAndGenericKinds(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "scans.rules.yaml")
	src := `schema: auditpack/rules/v1
ruleset: {id: x, version: "1", title: x}
rules:
  - id: r
    title: r
    satisfies: [{control: "pci-dss@4.0.1:11.3.2", relationship: subset-of}]
    applies_to: {element: system}
    evidence:
      - {id: asv, kinds: [asv-scan, scan-result], per: rule}
      - {id: q, kinds: [internal-vulnerability-scan], per: rule, occurrences: {count: 4, every_days: 92, within_days: 180}}
`
	if err := os.WriteFile(bad, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "rules", "lint", bad)
	for _, want := range []string{
		"scans.rules.yaml:9: at /rules/0/evidence/0/kinds/1", `the generic kind "scan-result"`,
		"scans.rules.yaml:10: at /rules/0/evidence/1/occurrences", "4 items every 92 days span 276 days, more than within_days (180)",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if code != exitInput || stdout != "" {
		t.Errorf("exit %d, stdout %q; want exit %d and no output", code, stdout, exitInput)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("lint left files behind: %v", entries)
	}
}
