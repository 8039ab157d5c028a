package main

import (
	"slices"
	"testing"
)

// TestDemoScanVerdictsComeFromTheirFiles holds the built-in example to
// what an assessor would sign: a satisfied verdict backed by a scan
// (TLS, vulnerability, ASV, posture) rests on facts read from the tool's
// own output, never on values typed into the manifest beside a file that
// no parser recognises.
func TestDemoScanVerdictsComeFromTheirFiles(t *testing.T) {
	scans := []string{"tls-scan", "asv-scan", "internal-vulnerability-scan", "authenticated-scan", "posture-scan", "network-scan", "container-scan"}
	res := demoResults(t, "pci-dss", "soc2")
	for _, r := range res.RuleResults {
		if r.Verdict != "satisfied" {
			continue
		}
		for _, e := range r.Evidence {
			if e.Status != "ok" || e.SupersededBy != "" || !slices.Contains(scans, e.Kind) {
				continue
			}
			if len(e.StatedOnly) > 0 {
				t.Errorf("%s on %q is satisfied by %s (%s) on %v, stated in the manifest and not read from its file", r.Rule, r.Element.ID, e.Item, e.Kind, e.StatedOnly)
			}
		}
	}
}
