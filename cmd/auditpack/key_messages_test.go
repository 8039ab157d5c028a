package main

import (
	"crypto/rand"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnreadableKeyFilesAreExplained checks that a key or PKCS #12 file
// that does not parse is refused in words, with exit 2 and the file named,
// rather than with Go's ASN.1 decoder structures.
func TestUnreadableKeyFilesAreExplained(t *testing.T) {
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	project := writeProject(t, nil)
	cfg := filepath.Join(project, "auditpack.yaml")
	garbage := make([]byte, 200)
	if _, err := rand.Read(garbage); err != nil {
		t.Fatal(err)
	}
	p12 := filepath.Join(dir, "g.p12")
	mustWrite(t, p12, garbage, 0o600)
	pkcs8 := filepath.Join(dir, "k8.pem")
	mustWrite(t, pkcs8, []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), 0o600)
	ec := filepath.Join(dir, "ec.pem")
	mustWrite(t, ec, []byte("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"), 0o600)
	out := filepath.Join(dir, "out")
	for _, tt := range []struct {
		file, want string
		args       []string
	}{
		{p12, "not a PKCS #12 file (or the password is wrong)", []string{"--pkcs12", p12}},
		{pkcs8, "not a PEM private key", []string{"--key", pkcs8, "--cert", k.cert}},
		{ec, "not a PEM private key", []string{"--key", ec, "--cert", k.cert}},
	} {
		code, _, stderr := runCLI(t, append([]string{"build", "-c", cfg, "--out", out, "-q"}, tt.args...)...)
		if code != exitInput || !strings.Contains(stderr, tt.file) || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d, want %d with %q:\n%s", filepath.Base(tt.file), code, exitInput, tt.want, stderr)
		}
		if strings.Contains(stderr, "asn1") || strings.Contains(stderr, "optional:") {
			t.Errorf("%s: the message shows the ASN.1 decoder's structures:\n%s", filepath.Base(tt.file), stderr)
		}
	}
}
