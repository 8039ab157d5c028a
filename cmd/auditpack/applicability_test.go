package main

import (
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
)

// A declaration of not applicable the run cannot honour is refused before
// anything is evaluated, naming the configuration and the value's pointer.
func TestApplicabilityRefused(t *testing.T) {
	tests := []struct {
		name  string
		entry string
		want  []string
	}{
		{"unknown control", `{control: "pci-dss@4.0.1:99.1", justification: "no such thing", approver: CISO}`,
			[]string{"auditpack.yaml: at /overlay/applicability/0/control", `control "pci-dss@4.0.1:99.1" is not a control of`}},
		{"missing justification", `{control: "pci-dss@4.0.1:3.5.1", approver: CISO}`,
			[]string{"auditpack.yaml", "/overlay/applicability/0", "justification"}},
		{"blank justification", `{control: "pci-dss@4.0.1:3.5.1", justification: " ", approver: CISO}`,
			[]string{"auditpack.yaml", "/overlay/applicability/0/justification"}},
		{"missing approver", `{control: "pci-dss@4.0.1:3.5.1", justification: "tokens only"}`,
			[]string{"auditpack.yaml", "/overlay/applicability/0", "approver"}},
		{"unqualified control", `{control: "3.5.1", justification: "tokens only", approver: CISO}`,
			[]string{"auditpack.yaml", "/overlay/applicability/0/control"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := vocabProject(t, "auditpack.yaml", "  applicability:\n", "  applicability:\n    - "+tt.entry+"\n")
			code, _, stderr := runCLI(t, "check", "-c", cfg)
			if code != exitInput {
				t.Fatalf("exit %d, want %d: %s", code, exitInput, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// A control declared not applicable whose rules find elements in scope is
// to be confirmed, never satisfied, in results.json.
func TestApplicabilityDeclaredInScope(t *testing.T) {
	cfg := vocabProject(t, "auditpack.yaml", "  applicability:\n",
		"  applicability:\n    - {control: \"pci-dss@4.0.1:3.5.1\", justification: \"we hold tokens only\", approver: CISO}\n"+
			"    - {control: \"pci-dss@4.0.1:12.1.1\", justification: \"scope is reviewed by the parent\", approver: CISO}\n")
	code, stdout, stderr := runCLI(t, "check", "-c", cfg, "--format", "json", "--fail-on", "none")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res audit.Results
	if err := unmarshalResults([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, c := range res.Controls {
		a := c.Applicability
		if a == nil {
			t.Fatalf("%s has no applicability", c.Ref)
		}
		switch c.Ref {
		case "pci-dss@4.0.1:3.5.1":
			seen++
			if a.Status != audit.ApplicableToConfirm || c.Verdict == "satisfied" || a.Declared == nil ||
				!strings.Contains(a.Justification, "we hold tokens only") || !strings.Contains(a.Justification, "in scope") {
				t.Errorf("3.5.1: %s, %+v", c.Verdict, a)
			}
		case "pci-dss@4.0.1:12.1.1":
			seen++
			if a.Status != audit.ApplicableNo || c.Verdict != "not-applicable" || !strings.Contains(c.Reason, "scope is reviewed by the parent") {
				t.Errorf("12.1.1: %s %q, %+v", c.Verdict, c.Reason, a)
			}
		}
	}
	if seen != 2 {
		t.Errorf("saw %d of the 2 declared controls", seen)
	}
}
