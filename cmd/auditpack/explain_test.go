package main

import (
	"strings"
	"testing"
)

// TestExplainShowsScopePlacementAndFindings: for every element result
// behind a control, explain says why the element is in scope (the data or
// the route that put it there), where each capability had to sit and what
// counted there; for an undecided element, which fact is unknown; and the
// scope findings of the model.
func TestExplainShowsScopePlacementAndFindings(t *testing.T) {
	tests := []struct {
		control string
		want    []string
	}{
		{"1.3.1", []string{
			`pci-1.3.1-inbound-cde-filtering on dataflow "Card payment request": satisfied [subset-of]`,
			`PCI DSS scope: cde, because it carries Card verification code (sad), Primary account number (pan)`,
			`traffic-filtering had to sit at entry: zone "DMZ"; found M-NSC-EDGE`,
			`reached from an untrusted network by: Acme Pay mobile app → Card payment request → API gateway`,
			"scope findings:",
			"[account-data-outside-cde-zone]",
		}},
		{"8.4.2", []string{
			`pci-8.4.2-mfa-all-cde-access on dataflow "Download statement": manual [subset-of]`,
			"unknown: interactive",
			"[confirm-scope] scope must be confirmed: interactive unknown",
			`mfa had to sit at self: dataflow "Refund and dispute operations"; found M-STEP-UP-MFA`,
		}},
		{"7.2.1", []string{
			"[intersects-with]",
			"only intersects this requirement",
		}},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(t, "explain", "--demo", tt.control)
		if code != 0 {
			t.Fatalf("explain %s exited %d: %s", tt.control, code, stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("explain %s lacks %q", tt.control, w)
			}
		}
	}
}
