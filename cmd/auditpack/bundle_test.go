package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zipDir writes the files of dir into a zip archive, plus extra entries.
func zipDir(t *testing.T, dir, dst string, extra map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range extra {
		w, _ := zw.Create(name)
		w.Write([]byte(data))
	}
	zw.Close()
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A .zip bundle verifies exactly as the directory it was made from.
func TestEvidenceVerifyZipBundle(t *testing.T) {
	dir := writeProject(t, nil)
	zipPath := filepath.Join(t.TempDir(), "evidence.zip")
	zipDir(t, filepath.Join(dir, "evidence"), zipPath, nil)
	codeDir, outDir, _ := runCLI(t, "evidence", "verify", "--as-of", "2026-11-15", filepath.Join(dir, "evidence"))
	codeZip, outZip, errZip := runCLI(t, "evidence", "verify", "--as-of", "2026-11-15", zipPath)
	if codeDir != codeZip || strings.ReplaceAll(outZip, zipPath, "") != strings.ReplaceAll(outDir, filepath.Join(dir, "evidence"), "") {
		t.Fatalf("zip: exit %d\n%s%s\ndirectory: exit %d\n%s", codeZip, outZip, errZip, codeDir, outDir)
	}
}

// A build whose configuration names a .zip bundle uses it.
func TestCheckWithZipBundle(t *testing.T) {
	dir := writeProject(t, map[string]func(string) string{
		"auditpack.yaml": func(s string) string { return strings.Replace(s, "evidence: evidence", "evidence: evidence.zip", 1) },
	})
	zipDir(t, filepath.Join(dir, "evidence"), filepath.Join(dir, "evidence.zip"), nil)
	code, out, errOut := runCLI(t, "check", "--quiet", "--config", filepath.Join(dir, "auditpack.yaml"))
	if code != exitFailing || !strings.Contains(out, "evidence:") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

// A hostile zip is refused with exit 2, naming the entry and the reason,
// and nothing is written anywhere.
func TestHostileZipBundleRefused(t *testing.T) {
	dir := writeProject(t, nil)
	zipPath := filepath.Join(t.TempDir(), "evidence.zip")
	zipDir(t, filepath.Join(dir, "evidence"), zipPath, map[string]string{"../../evil.txt": "pwned"})
	code, _, errOut := runCLI(t, "evidence", "verify", zipPath)
	if code != exitInput || !strings.Contains(errOut, `entry "../../evil.txt" refused`) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(zipPath), "..", "evil.txt")); err == nil {
		t.Fatal("a file was written outside the bundle")
	}
}

// A symbolic link out of a directory bundle is refused.
func TestDirectoryBundleSymlinkRefused(t *testing.T) {
	dir := writeProject(t, nil)
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "evidence", "docs", "passwd.txt")); err != nil {
		t.Skip(err)
	}
	code, _, errOut := runCLI(t, "check", "--config", filepath.Join(dir, "auditpack.yaml"))
	if code != exitInput || !strings.Contains(errOut, "symbolic link") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// An interrupted build exits 130 and leaves no output behind.
func TestInterruptedBuildLeavesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pkg")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	code := runContext(ctx, []string{"auditpack", "demo", "--out", out, "--zip"}, &stdout, &stderr, fixedNow)
	if code != exitInterrupted || !strings.Contains(stderr.String(), "interrupted") {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, p := range []string{out, out + ".zip"} {
		if _, err := os.Stat(p); err == nil {
			t.Fatalf("%s exists after an interrupted build", p)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 0 {
		t.Fatalf("staging left behind: %v", entries)
	}
}

// Cancelling between package steps removes the staging directory.
func TestCancelledPackageStepRemovesStaging(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "pkg")
	code, _, errOut := runCLI(t, "demo", "--quiet", "--out", out)
	if code != exitOK {
		t.Fatalf("demo: exit %d: %s", code, errOut)
	}
	ctx, cancel := context.WithCancel(context.Background())
	o := packageOptions{out: filepath.Join(parent, "second"), ctx: ctx}
	cancel()
	if err := o.step(); err == nil || exitCode(err) != exitInterrupted {
		t.Fatalf("step after cancel: %v", err)
	}
}
