package audit_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCoreStaysPure keeps the import direction one way: cmd → reports →
// audit → mappings/frameworks. The core must not depend on renderers, the
// CLI library, or anything that signs, prints documents or talks to a
// terminal.
func TestCoreStaysPure(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH: " + err.Error())
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/auditpack/auditpack/audit/...",
		"github.com/auditpack/auditpack/mappings/...", "github.com/auditpack/auditpack/frameworks/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	forbidden := []string{
		"github.com/go-pdf/fpdf", "github.com/xuri/excelize", "github.com/urfave/cli",
		"github.com/auditpack/auditpack/reports", "github.com/auditpack/auditpack/cmd", "net/http",
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") {
				t.Errorf("a core package depends on %s", dep)
			}
		}
	}
}

// TestFrameworksStayLowest keeps frameworks, schemadoc included, below
// every other layer: each of them decodes its documents through schemadoc,
// so it must not depend on any of them.
func TestFrameworksStayLowest(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH: " + err.Error())
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/auditpack/auditpack/frameworks/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const module = "github.com/auditpack/auditpack/"
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, module) && !strings.HasPrefix(dep, module+"frameworks") {
			t.Errorf("a frameworks package depends on %s", dep)
		}
	}
}
