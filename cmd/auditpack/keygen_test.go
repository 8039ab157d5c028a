package main

import (
	"archive/zip"
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/packager"
	"github.com/auditpack/auditpack/reports/signature"
	"software.sslmate.com/src/go-pkcs12"
)

func TestKeygenThenBuildThenVerify(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	code, stdout, stderr := runCLI(t, "keygen", "--out", keys, "--subject", "CN=Acme Pay compliance,O=Acme Pay Ltd,C=GB", "--days", "3650")
	if code != 0 {
		t.Fatalf("keygen: exit %d %s", code, stderr)
	}
	fi, err := os.Stat(filepath.Join(keys, keyFileName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the key must have mode 0600: %v %v", err, fi.Mode())
	}
	keyPEM, _ := os.ReadFile(filepath.Join(keys, keyFileName))
	if b, _ := pem.Decode(keyPEM); b == nil || b.Type != "PRIVATE KEY" {
		t.Fatal("the key must be PKCS #8 PEM")
	}
	if code, _, stderr := runCLI(t, "keygen", "--out", keys); code != exitInput || !strings.Contains(stderr, "never overwrites") {
		t.Fatalf("a second keygen must refuse: exit %d %s", code, stderr)
	}
	fp := stdout[strings.Index(stdout, "fingerprint: ")+len("fingerprint: "):]
	fp = strings.TrimSpace(fp[:strings.Index(fp, "\n")])

	// Configure the key in auditpack.yaml, relative to the configuration.
	project := writeProject(t, map[string]func(string) string{"auditpack.yaml": func(s string) string {
		return s + "signing: {key: keys/signing-key.pem, certificate: keys/signing-cert.pem}\n"
	}})
	if err := os.Rename(keys, filepath.Join(project, "keys")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "pkg")
	if code, _, stderr := runCLI(t, "build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", out); code != 0 {
		t.Fatalf("build with signing: from the configuration: exit %d %s", code, stderr)
	}
	if code, stdout, _ := runCLI(t, "verify", out, "--signer-fingerprint", fp); code != 0 {
		t.Fatalf("verify with the keygen fingerprint: exit %d\n%s", code, stdout)
	}
	manifest, _ := os.ReadFile(filepath.Join(out, packager.ManifestName))
	if bytes.Contains(manifest, []byte(`"report": null`)) || !bytes.Contains(manifest, []byte(`"self_signed": true`)) {
		t.Fatal("the manifest must describe the signed report; keygen's certificate is self-signed")
	}
	if _, err := os.Stat(filepath.Join(out, packager.ReportName)); err != nil {
		t.Fatalf("the package must carry the signed report: %v", err)
	}
}

func TestKeygenCSRAndBadFlags(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "keygen", "--out", dir, "--csr", "--alg", "rsa-2048", "--subject", "CN=Acme,O=Acme Pay Ltd"); code != 0 {
		t.Fatalf("keygen --csr: %d %s", code, stderr)
	}
	data, _ := os.ReadFile(filepath.Join(dir, csrFileName))
	b, _ := pem.Decode(data)
	csr, err := x509.ParseCertificateRequest(b.Bytes)
	if err != nil || csr.CheckSignature() != nil || csr.Subject.CommonName != "Acme" {
		t.Fatalf("bad CSR: %v", err)
	}
	for _, args := range [][]string{
		{"keygen", "--out", t.TempDir(), "--alg", "ed25519"},
		{"keygen", "--out", t.TempDir(), "--subject", "O=no common name"},
		{"keygen", "--out", t.TempDir(), "--days", "0"},
		{"keygen"},
	} {
		if code, _, _ := runCLI(t, args...); code != exitInput {
			t.Errorf("%v: exit %d, want %d", args, code, exitInput)
		}
	}
}

func TestBuildWithPKCS12(t *testing.T) {
	dir := t.TempDir()
	ca := signature.NewTestCA(t, signature.AlgECDSAP256)
	s := ca.Issue(t, signature.AlgECDSAP256, "p12 signer")
	p12, err := pkcs12.Modern.Encode(s.Key, s.Leaf, s.Chain, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "signer.p12")
	mustWrite(t, file, p12, 0o600)
	cfg := filepath.Join(writeProject(t, nil), "auditpack.yaml")
	t.Setenv(pkcs12PasswordEnv, "wrong")
	if code, _, stderr := runCLI(t, "build", "-c", cfg, "--out", filepath.Join(dir, "bad"), "--pkcs12", file); code != exitInput {
		t.Fatalf("a wrong PKCS #12 password: exit %d %s", code, stderr)
	}
	t.Setenv(pkcs12PasswordEnv, "s3cret")
	out := filepath.Join(dir, "pkg")
	if code, _, stderr := runCLI(t, "build", "-c", cfg, "--out", out, "--pkcs12", file); code != 0 {
		t.Fatalf("build --pkcs12: exit %d %s", code, stderr)
	}
	caPEM := filepath.Join(dir, "ca.pem")
	mustWrite(t, caPEM, signature.EncodeCertificatesPEM(ca.Root()), 0o644)
	if code, stdout, _ := runCLI(t, "verify", out, "--ca", caPEM); code != 0 {
		t.Fatalf("verify: exit %d\n%s", code, stdout)
	}
}

func TestDemoPackageIsMarkedAndNeedsExplicitTrust(t *testing.T) {
	got := withTestReport(t)
	out := filepath.Join(t.TempDir(), "demo")
	code, stdout, stderr := runCLI(t, "demo", "--out", out, "--zip")
	if code != 0 || !strings.Contains(stderr, "throwaway demo key") {
		t.Fatalf("demo: exit %d\n%s%s", code, stdout, stderr)
	}
	if !got.Demo {
		t.Error("the report renderer must be told it renders a demo")
	}
	m, err := packager.ParseManifest(mustRead(t, filepath.Join(out, packager.ManifestName)))
	if err != nil || !m.Demo || m.Report == nil {
		t.Fatalf("manifest: %v demo=%v", err, m != nil && m.Demo)
	}
	if !bytes.Contains(mustRead(t, filepath.Join(out, packager.VerifyName)), []byte("DEMO PACKAGE - NOT EVIDENCE")) {
		t.Error("VERIFY.txt must warn that the package is a demo")
	}
	if code, stdout, _ := runCLI(t, "verify", out); code != exitIntegrity || !strings.Contains(stdout, "UNTRUSTED: no anchor") {
		t.Fatalf("verify without trust: exit %d\n%s", code, stdout)
	}
	for _, args := range [][]string{{"--accept-unanchored"}, {"--signer-fingerprint", m.Signer.CertificateSHA256}} {
		for _, target := range []string{out, out + ".zip"} {
			code, stdout, stderr := runCLI(t, append([]string{"verify", target}, args...)...)
			if code != 0 || !strings.Contains(stderr, "DEMO package") {
				t.Fatalf("verify %s %v: exit %d\n%s%s", target, args, code, stdout, stderr)
			}
		}
	}
	if code, _, stderr := runCLI(t, "demo", "--out", out, "--zip"); code != exitInput || !strings.Contains(stderr, "--force") {
		t.Fatalf("demo over an existing package: exit %d %s", code, stderr)
	}
}

// TestVerifyRefusesUnsafeZip hands the CLI a zip of a good package plus an
// entry that would land outside the directory on extraction.
func TestVerifyRefusesUnsafeZip(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	if code, _, stderr := runCLI(t, "demo", "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	for _, extra := range []string{"../evil.txt", "results.json"} {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for n, d := range readTree(t, out) {
			w, _ := zw.Create(n)
			w.Write(d)
		}
		w, _ := zw.Create(extra)
		w.Write([]byte("{}"))
		zw.Close()
		z := filepath.Join(t.TempDir(), "pkg.zip")
		mustWrite(t, z, buf.Bytes(), 0o644)
		code, stdout, _ := runCLI(t, "verify", z, "--accept-unanchored")
		if code != exitIntegrity || !strings.Contains(stdout, extra) {
			t.Fatalf("zip with %q: exit %d\n%s", extra, code, stdout)
		}
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
