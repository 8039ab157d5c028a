package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A PCI DSS control cannot be risk-accepted: check refuses the exceptions
// file before evaluating anything, naming the file and the place.
func TestCheckRefusesPCIRiskAcceptance(t *testing.T) {
	dir := writeProject(t, map[string]func(string) string{"exceptions.yaml": func(s string) string {
		i := strings.Index(s, "id: EX-2025-011")
		if i < 0 {
			t.Fatal("the example has no EX-2025-011")
		}
		return s[:i] + strings.Replace(s[i:], "type: compensating-control", "type: risk-acceptance", 1)
	}})
	code, stdout, stderr := runCLI(t, "check", "-c", filepath.Join(dir, "auditpack.yaml"))
	if code != exitInput {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitInput, stdout, stderr)
	}
	for _, w := range []string{"exceptions.yaml:", "at /exceptions/1/type", "EX-2025-011", "PCI DSS has no risk acceptance",
		"compensating control with its worksheet, or the customized approach"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr does not mention %q:\n%s", w, stderr)
		}
	}
}
