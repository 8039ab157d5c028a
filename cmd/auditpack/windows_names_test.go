package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Names Windows cannot hold as written never reach a package: an evidence
// file named like a device is refused when the bundle is read (exit 2,
// naming the file, nothing written), and a package directory holding one
// fails verification (exit 3) for its name, not only for being unlisted.
func TestWindowsNamesKeptOutOfPackages(t *testing.T) {
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	for _, name := range []string{"nul.txt", "scans/COM1.json", "docs/policy.txt.", "scans/COM0.json", "lpt0.log"} {
		t.Run("build "+name, func(t *testing.T) {
			project := writeProject(t, nil)
			mustWrite(t, filepath.Join(project, "evidence", filepath.FromSlash(name)), []byte("x"), 0o644)
			out := filepath.Join(t.TempDir(), "pkg")
			code, _, stderr := runCLI(t, "build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", out,
				"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15", "--embed-evidence")
			base := name[strings.LastIndex(name, "/")+1:]
			if code != exitInput || !strings.Contains(stderr, base) || !strings.Contains(stderr, "Windows") {
				t.Fatalf("exit %d, want %d naming %s as invalid on Windows:\n%s", code, exitInput, name, stderr)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Fatalf("something was written at --out: %v", err)
			}
		})
	}
	good := filepath.Join(dir, "good")
	buildExample(t, writeProject(t, nil), k, good)
	for _, name := range []string{"results.json.", "aux", "inputs/prn.yaml"} {
		t.Run("verify "+name, func(t *testing.T) {
			p := copyDir(t, good)
			mustWrite(t, filepath.Join(p, filepath.FromSlash(name)), []byte("x"), 0o644)
			code, stdout, stderr := runCLI(t, "verify", p, "--ca", k.caPEM)
			if code != exitIntegrity || !strings.Contains(stdout, "FAILED  layout") || !strings.Contains(stdout+stderr, name+": unsafe file name") ||
				!strings.Contains(stdout+stderr, "Windows") {
				t.Fatalf("exit %d, want %d refusing %s as invalid on Windows:\n%s%s", code, exitIntegrity, name, stdout, stderr)
			}
		})
	}
}

// A directory bundle's file whose name is not UTF-8 is refused for that
// reason, naming the file, not as a path that escapes the bundle.
func TestDirectoryBundleNameNotUTF8(t *testing.T) {
	bundle := t.TempDir()
	mustWrite(t, filepath.Join(bundle, "manifest.yaml"), []byte("schema: auditpack/evidence/v1\nitems: []\n"), 0o644)
	mustWrite(t, filepath.Join(bundle, "inv\xffx"), []byte("x"), 0o644)
	code, stdout, stderr := runCLI(t, "evidence", "verify", bundle)
	if code != exitInput || !strings.Contains(stderr, `entry "inv\xffx"`) || !strings.Contains(stderr, "not valid UTF-8") ||
		strings.Contains(stderr, "escapes") {
		t.Fatalf("exit %d, want %d refusing the name as not UTF-8:\n%s%s", code, exitInput, stdout, stderr)
	}
}
