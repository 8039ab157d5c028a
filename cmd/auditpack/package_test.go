package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/packager"
)

// TestPackageChecksWithStandardTools builds the example project with a PDF
// report and a CA-issued key, then checks it the way a bank would:
// openssl for the signature, sha256sum for the files, pdfsig and qpdf for
// the report, and auditpack verify on the directory and the zip.
func TestPackageChecksWithStandardTools(t *testing.T) {
	openssl := requireTool(t, "openssl")
	sha256sum := requireTool(t, "sha256sum")
	pdfsig := requireTool(t, "pdfsig")
	qpdf := requireTool(t, "qpdf")
	withTestReport(t)
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	out := filepath.Join(dir, "pkg")
	buildExample(t, writeProject(t, nil), k, out, "--zip", "--embed-evidence")

	got, err := runTool(t, out, openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", "SHA256SUMS.p7s",
		"-content", "SHA256SUMS", "-CAfile", k.caPEM, "-purpose", "any", "-signer", filepath.Join(dir, "signer.pem"), "-out", os.DevNull)
	if err != nil || !strings.Contains(got, "CMS Verification successful") {
		t.Fatalf("openssl cms -verify: %v\n%s", err, got)
	}
	t.Logf("openssl cms -verify: %s", strings.TrimSpace(got))
	got, err = runTool(t, dir, openssl, "x509", "-in", "signer.pem", "-noout", "-fingerprint", "-sha256")
	if err != nil || !strings.Contains(got, k.fingerprint) {
		t.Fatalf("the signer openssl found is not ours: %v\n%s", err, got)
	}
	got, err = runTool(t, out, sha256sum, "-c", "--strict", "SHA256SUMS")
	if err != nil || strings.Contains(got, "FAILED") {
		t.Fatalf("sha256sum -c --strict: %v\n%s", err, got)
	}
	t.Logf("sha256sum -c --strict: %d lines OK", strings.Count(got, ": OK"))
	got, _ = runTool(t, out, pdfsig, "-no-ocsp", "report.pdf")
	if !strings.Contains(got, "Signature Validation: Signature is Valid.") || !strings.Contains(got, "Total document signed") ||
		strings.Count(got, "Signature #") != 1 {
		t.Fatalf("pdfsig does not accept report.pdf:\n%s", got)
	}
	t.Logf("pdfsig:\n%s", got)
	got, err = runTool(t, out, qpdf, "--check", "report.pdf")
	if err != nil || !strings.Contains(got, "No syntax or stream encoding errors") {
		t.Fatalf("qpdf --check: %v\n%s", err, got)
	}
	t.Logf("qpdf --check: %s", strings.TrimSpace(got))

	for _, target := range []string{out, out + ".zip"} {
		code, stdout, stderr := runCLI(t, "verify", target, "--ca", k.caPEM, "--signer-fingerprint", k.fingerprint)
		if code != 0 || strings.Contains(stdout, "FAILED") || !strings.Contains(stdout, "report signature report.pdf") {
			t.Fatalf("verify %s: exit %d\n%s%s", target, code, stdout, stderr)
		}
	}
	verify, _ := os.ReadFile(filepath.Join(out, "VERIFY.txt"))
	for _, want := range []string{"sha256sum -c --strict SHA256SUMS", "-CAfile their-ca.pem -purpose any", "pdfsig -no-ocsp report.pdf", "Total document signed", k.fingerprint} {
		if !bytes.Contains(verify, []byte(want)) {
			t.Errorf("VERIFY.txt lacks %q", want)
		}
	}
}

// TestVerifyExitCodes runs the CLI on representative damage; the exhaustive
// byte-flip test runs in reports/packager.
func TestVerifyExitCodes(t *testing.T) {
	withTestReport(t)
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	good := filepath.Join(dir, "good")
	buildExample(t, writeProject(t, nil), k, good)
	other := writeTestKeys(t, t.TempDir(), nil)
	resigned := filepath.Join(dir, "resigned")
	buildExample(t, writeProject(t, nil), other, resigned)

	tests := []struct {
		name   string
		change func(p string)
		args   []string
		code   int
		want   string
	}{
		{"intact", func(string) {}, []string{"--ca", k.caPEM}, exitOK, "verified"},
		{"byte flipped", func(p string) { flip(t, filepath.Join(p, "results.json"), 100) }, []string{"--ca", k.caPEM}, exitIntegrity, "FAILED  sha256 results.json"},
		{"pdf byte flipped", func(p string) { flip(t, filepath.Join(p, "report.pdf"), 500) }, []string{"--ca", k.caPEM}, exitIntegrity, "FAILED  report signature report.pdf"},
		{"file added", func(p string) { mustWrite(t, filepath.Join(p, "notes.txt"), []byte("x"), 0o644) }, []string{"--ca", k.caPEM}, exitIntegrity, "notes.txt"},
		{"file removed", func(p string) { os.Remove(filepath.Join(p, "results.json")) }, []string{"--ca", k.caPEM}, exitIntegrity, "results.json"},
		{"file renamed", func(p string) { os.Rename(filepath.Join(p, "results.json"), filepath.Join(p, "result.json")) }, []string{"--ca", k.caPEM}, exitIntegrity, "result.json"},
		{"signature deleted", func(p string) { os.Remove(filepath.Join(p, packager.SignatureName)) }, []string{"--ca", k.caPEM}, exitIntegrity, "SHA256SUMS.p7s"},
		{"symlink", func(p string) { os.Symlink("/etc/passwd", filepath.Join(p, "passwd")) }, []string{"--ca", k.caPEM}, exitIntegrity, "passwd"},
		{"no trust given", func(string) {}, nil, exitIntegrity, "UNTRUSTED: no anchor"},
		{"no trust accepted", func(string) {}, []string{"--accept-unanchored"}, exitOK, "trust: no-anchor"},
		{"pinned", func(string) {}, []string{"--signer-fingerprint", k.fingerprint}, exitOK, "trust: pinned"},
		{"bad fingerprint", func(string) {}, []string{"--signer-fingerprint", "abc"}, exitInput, ""},
		{"missing ca file", func(string) {}, []string{"--ca", filepath.Join(dir, "nope.pem")}, exitInput, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := copyDir(t, good)
			tt.change(p)
			code, stdout, stderr := runCLI(t, append([]string{"verify", p}, tt.args...)...)
			if code != tt.code || !strings.Contains(stdout+stderr, tt.want) {
				t.Fatalf("exit %d, want %d with %q:\n%s%s", code, tt.code, tt.want, stdout, stderr)
			}
		})
	}
	// Another key's package, valid in itself, is refused under our pin.
	code, stdout, _ := runCLI(t, "verify", resigned, "--signer-fingerprint", k.fingerprint)
	if code != exitIntegrity || !strings.Contains(stdout, "FAILED  signature SHA256SUMS.p7s") {
		t.Fatalf("re-signed package under --signer-fingerprint: exit %d\n%s", code, stdout)
	}
	if code, _, _ := runCLI(t, "verify"); code != exitInput {
		t.Fatalf("verify without a package: exit %d", code)
	}
}

// TestRebuildGivesIdenticalUnsignedFiles builds twice with the same inputs,
// key and --as-of. ECDSA signatures differ, so SHA256SUMS.p7s and the
// signed report do, and with them the report's line in SHA256SUMS and
// manifest.json; every other byte is the same, as is the unsigned report.
func TestRebuildGivesIdenticalUnsignedFiles(t *testing.T) {
	withTestReport(t)
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	project := writeProject(t, nil)
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	buildExample(t, project, k, a, "--embed-evidence")
	buildExample(t, project, k, b, "--embed-evidence")
	fa, fb := readTree(t, a), readTree(t, b)
	if !slices.Equal(sortedKeys(fa), sortedKeys(fb)) {
		t.Fatal("the two builds have different files")
	}
	ma, _ := packager.ParseManifest(fa[packager.ManifestName])
	mb, _ := packager.ParseManifest(fb[packager.ManifestName])
	for n := range fa {
		switch n {
		case packager.SignatureName, packager.ReportName:
			continue
		case packager.ManifestName, packager.SumsName:
			// The signed report's hash, and in SHA256SUMS the manifest's.
			x := bytes.ReplaceAll(fa[n], []byte(sha256Hex(fa[packager.ReportName])), []byte(sha256Hex(fb[packager.ReportName])))
			x = bytes.ReplaceAll(x, []byte(sha256Hex(fa[packager.ManifestName])), []byte(sha256Hex(fb[packager.ManifestName])))
			if !bytes.Equal(x, fb[n]) {
				t.Errorf("%s differs in more than the signed report's hash", n)
			}
			continue
		}
		if !bytes.Equal(fa[n], fb[n]) {
			t.Errorf("%s differs between two builds", n)
		}
	}
	if *ma.Report != *mb.Report {
		t.Fatalf("unsigned reports differ: %+v %+v", ma.Report, mb.Report)
	}
	if n := ma.Report.UnsignedLength; !bytes.Equal(fa[packager.ReportName][:n], fb[packager.ReportName][:n]) {
		t.Fatal("the unsigned prefix of report.pdf differs")
	}
}

func TestFailedBuildsLeaveNothing(t *testing.T) {
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	project := writeProject(t, nil)
	cfg := filepath.Join(project, "auditpack.yaml")
	loose := filepath.Join(dir, "loose.pem")
	keyPEM, _ := os.ReadFile(k.key)
	mustWrite(t, loose, keyPEM, 0o644)
	otherCert := writeTestKeys(t, t.TempDir(), k.ca).cert
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"key mode 0644", []string{"--key", loose, "--cert", k.cert}, "chmod 600"},
		{"key missing", []string{"--key", filepath.Join(dir, "none.pem"), "--cert", k.cert}, "no such file"},
		{"key is a directory", []string{"--key", dir, "--cert", k.cert}, "not a regular file"},
		{"key and certificate differ", []string{"--key", k.key, "--cert", otherCert}, "does not match"},
		{"no key", nil, "auditpack keygen"},
		{"key without certificate", []string{"--key", k.key}, "both --key and --cert"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, "out")
			code, _, stderr := runCLI(t, append([]string{"build", "-c", cfg, "--out", out, "--zip"}, tt.args...)...)
			if code != exitInput || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, want %d mentioning %q: %s", code, exitInput, tt.want, stderr)
			}
			for _, p := range []string{out, out + ".zip"} {
				if _, err := os.Lstat(p); !os.IsNotExist(err) {
					t.Errorf("%s exists after a failed build", p)
				}
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".auditpack-tmp-*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

func flip(t *testing.T, p string, at int) {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	data[at] ^= 0x01
	mustWrite(t, p, data, 0o644)
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "pkg")
	for n, d := range readTree(t, src) {
		p := filepath.Join(dst, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mustWrite(t, p, d, 0o644)
	}
	return dst
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// TestDemoPackageChecksWithStandardTools checks the demo package itself
// with the independent verifiers. Its certificate is self-signed, so it is
// its own trust anchor: openssl extracts it, then verifies against it.
func TestDemoPackageChecksWithStandardTools(t *testing.T) {
	openssl := requireTool(t, "openssl")
	sha256sum := requireTool(t, "sha256sum")
	pdfsig := requireTool(t, "pdfsig")
	qpdf := requireTool(t, "qpdf")
	dir := t.TempDir()
	out := filepath.Join(dir, "demo")
	if code, _, stderr := runCLI(t, "demo", "--out", out); code != 0 {
		t.Fatalf("demo: exit %d %s", code, stderr)
	}
	ca := filepath.Join(dir, "demo-cert.pem")
	if got, err := runTool(t, out, openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", "SHA256SUMS.p7s",
		"-content", "SHA256SUMS", "-noverify", "-signer", ca, "-out", os.DevNull); err != nil {
		t.Fatalf("extract the demo signer: %v\n%s", err, got)
	}
	got, err := runTool(t, out, openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", "SHA256SUMS.p7s",
		"-content", "SHA256SUMS", "-CAfile", ca, "-purpose", "any", "-out", os.DevNull)
	if err != nil || !strings.Contains(got, "CMS Verification successful") {
		t.Fatalf("openssl cms -verify -CAfile: %v\n%s", err, got)
	}
	if got, err := runTool(t, out, sha256sum, "-c", "--strict", "SHA256SUMS"); err != nil || strings.Contains(got, "FAILED") {
		t.Fatalf("sha256sum -c --strict: %v\n%s", err, got)
	}
	got, _ = runTool(t, out, pdfsig, "-no-ocsp", "report.pdf")
	if !strings.Contains(got, "Signature Validation: Signature is Valid.") || !strings.Contains(got, "Total document signed") {
		t.Fatalf("pdfsig does not accept the demo report:\n%s", got)
	}
	if got, err := runTool(t, out, qpdf, "--check", "report.pdf"); err != nil || !strings.Contains(got, "No syntax or stream encoding errors") {
		t.Fatalf("qpdf --check: %v\n%s", err, got)
	}
	if code, stdout, _ := runCLI(t, "verify", out, "--ca", ca); code != 0 {
		t.Fatalf("verify the demo with its own certificate as anchor: exit %d\n%s", code, stdout)
	}
}
