package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/archive/ziptest"
)

// recordDamages are packages that hide something in an entry's own
// records rather than in its files: a link or setuid mode that unzip
// restores (from a host, Atari, whose mode bits were once ignored), and a
// whole second archive in an entry comment or an extra field. auditpack
// writes none of these, so verify refuses each.
func recordDamages(good []byte) []zipDamage {
	first := ziptest.Records(good)[0].Name
	inner := append([]byte(nil), good[:200]...) // starts with a local header signature
	return []zipDamage{
		{"symlink-atari", first, "symbolic link", ziptest.SetMode(good, first, 5, 0o120777)},
		{"setuid", first, "setuid, setgid or sticky", ziptest.SetMode(good, first, 3, 0o104777)},
		{"entry-comment", first, "an entry comment of 200 bytes (auditpack writes none)", ziptest.AddCentral(good, first, nil, inner)},
		{"extra-local", first, "local header: extra block 0xcafe of 600 bytes", ziptest.AddLocalExtra(good, first, ziptest.Block(0xcafe, make([]byte, 600)))},
		{"extra-central", first, "central directory: extra block 0xcafe of 600 bytes", ziptest.AddCentral(good, first, ziptest.Block(0xcafe, make([]byte, 600)), nil)},
	}
}

// TestVerifyZipRefusesDataInEntryRecords runs each damaged package
// through verify, which must exit 3 naming the zip, the entry and the
// reason, and leave nothing behind. With -update-hostile it writes them
// to testdata/hostile as package-*.zip (their lines in expected.txt are
// kept by hand).
func TestVerifyZipRefusesDataInEntryRecords(t *testing.T) {
	withTestReport(t)
	good := smallPackageZip(t)
	for _, d := range recordDamages(good) {
		t.Run(d.name, func(t *testing.T) {
			if bytes.Equal(d.data, good) {
				t.Fatal("the damage changed nothing")
			}
			p := filepath.Join(t.TempDir(), d.name+".zip")
			mustWrite(t, p, d.data, 0o644)
			code, stdout, stderr := runCLI(t, "verify", "--accept-unanchored", p)
			if code != exitIntegrity {
				t.Fatalf("verify: exit %d, want %d\n%s%s", code, exitIntegrity, stdout, stderr)
			}
			for _, want := range []string{p + ": package verification failed", d.reason, d.entry} {
				if !strings.Contains(stderr, want) {
					t.Fatalf("verify's message lacks %q:\n%s", want, stderr)
				}
			}
			if entries, _ := os.ReadDir(filepath.Dir(p)); len(entries) != 1 {
				t.Fatalf("something was written next to the zip: %v", entries)
			}
			if *updateHostile {
				mustWrite(t, filepath.Join(hostileDir, "package-"+d.name+".zip"), d.data, 0o644)
			}
		})
	}
}
