package signature

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenSSLVerifiesDetached is the check an auditor runs: our CMS must
// pass `openssl cms -verify` and must fail it once the content changes.
func TestOpenSSLVerifiesDetached(t *testing.T) {
	openssl := requireTool(t, "openssl")
	for _, ts := range testSigners(t) {
		t.Run(ts.name, func(t *testing.T) {
			dir := t.TempDir()
			der, err := SignDetached(bytes.NewReader(sumsContent), ts.s, CMSOptions{SigningTime: TestSigningTime})
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, dir, "SHA256SUMS.p7s", der)
			writeFile(t, dir, "SHA256SUMS", sumsContent)
			writeFile(t, dir, "tampered", flip(sumsContent, 0))
			writeFile(t, dir, "ca.pem", EncodeCertificatesPEM(ts.ca.Root()))
			verify := func(content string) (string, error) {
				return run(t, dir, openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", "SHA256SUMS.p7s",
					"-content", content, "-CAfile", "ca.pem", "-purpose", "any", "-out", filepath.Join(dir, "out"),
					"-signer", filepath.Join(dir, "signer.pem"))
			}
			out, err := verify("SHA256SUMS")
			if err != nil || !strings.Contains(out, "CMS Verification successful") {
				t.Fatalf("openssl cms -verify failed: %v\n%s", err, out)
			}
			out, err = verify("tampered")
			if err == nil || strings.Contains(out, "CMS Verification successful") {
				t.Fatalf("openssl accepted tampered content:\n%s", out)
			}
			out, err = run(t, dir, openssl, "cms", "-cmsout", "-print", "-inform", "DER", "-in", "SHA256SUMS.p7s")
			if err != nil {
				t.Fatalf("openssl cms -print: %v\n%s", err, out)
			}
			for _, want := range []string{"signingTime", "id-smime-aa-signingCertificateV2", "messageDigest", "contentType"} {
				if !strings.Contains(out, want) {
					t.Errorf("openssl does not see attribute %s:\n%s", want, out)
				}
			}
		})
	}
}
