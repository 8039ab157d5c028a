package main

import (
	"crypto/x509"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/reports/packager"
	"github.com/auditpack/auditpack/reports/signature"
)

// withTestReport wraps the registered PDF renderer for the test's duration
// and records the options it was given.
func withTestReport(t *testing.T) *renderOptions {
	t.Helper()
	saved := renderers
	got := &renderOptions{}
	renderers = append([]artefactRenderer{}, saved...)
	found := false
	for i, r := range renderers {
		if r.name != packager.ReportName {
			continue
		}
		real := r.render
		renderers[i].render = func(w io.Writer, res *audit.Results, o renderOptions) error {
			*got = o
			return real(w, res, o)
		}
		found = true
	}
	if !found {
		t.Fatal("no PDF report renderer is registered")
	}
	t.Cleanup(func() { renderers = saved })
	return got
}

// testKeys is a signing identity on disk, issued by a test CA.
type testKeys struct {
	ca               *signature.TestCA
	signer           *signature.Signer
	key, cert, caPEM string
	fingerprint      string
}

func writeTestKeys(t *testing.T, dir string, ca *signature.TestCA) testKeys {
	t.Helper()
	if ca == nil {
		ca = signature.NewTestCA(t, signature.AlgECDSAP256)
	}
	s := ca.Issue(t, signature.AlgECDSAP256, "Acme Pay package signer")
	keyPEM, err := signature.EncodePrivateKeyPEM(s.Key)
	if err != nil {
		t.Fatal(err)
	}
	k := testKeys{ca: ca, signer: s, key: filepath.Join(dir, "key.pem"), cert: filepath.Join(dir, "cert.pem"),
		caPEM: filepath.Join(dir, "ca.pem"), fingerprint: packager.FormatFingerprint(signature.CertFingerprint(s.Leaf))}
	mustWrite(t, k.key, keyPEM, 0o600)
	mustWrite(t, k.cert, signature.EncodeCertificatesPEM(append([]*x509.Certificate{s.Leaf}, s.Chain...)...), 0o644)
	mustWrite(t, k.caPEM, signature.EncodeCertificatesPEM(ca.Root()), 0o644)
	return k
}

func mustWrite(t *testing.T, p string, data []byte, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(p, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

// buildExample builds the example project into dir/name with keys k.
func buildExample(t *testing.T, project string, k testKeys, out string, extra ...string) {
	t.Helper()
	args := append([]string{"build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", out,
		"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15"}, extra...)
	if code, stdout, stderr := runCLI(t, args...); code != 0 {
		t.Fatalf("build exited %d:\n%s%s", code, stdout, stderr)
	}
}

// requireTool finds an external verifier. Without it the test is skipped
// with the reason shown, except in CI, where the verifiers are installed
// and a missing one is a failure.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI: %v", name, err)
		}
		t.Skipf("SKIPPED: %s not installed (apt-get install openssl poppler-utils qpdf)", name)
	}
	return p
}

// runTool runs an external command in dir and returns its combined output.
func runTool(t *testing.T, dir, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%s timed out", name)
	}
	return string(out), err
}
