package packager

import (
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/archive"
)

// TestBundleNamesFitInAPackage checks that the longest name a bundle may
// hold can be embedded under evidence/ without passing the package limit.
func TestBundleNamesFitInAPackage(t *testing.T) {
	if n := len(EvidenceDir) + 1 + archive.MaxNameLen; n > maxNameLen {
		t.Fatalf("evidence/ + %d bytes = %d, more than the %d a package name may have", archive.MaxNameLen, n, maxNameLen)
	}
	name := strings.Repeat("a", archive.MaxNameLen)
	if err := archive.CheckName(name); err != nil {
		t.Fatal(err)
	}
	if err := CheckName(EvidenceDir + "/" + name); err != nil {
		t.Fatal(err)
	}
}
