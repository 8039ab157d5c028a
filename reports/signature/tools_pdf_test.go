package signature

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// pdfsigVerdict runs pdfsig offline and reads its report, because pdfsig
// exits 0 even when the digest does not match.
func pdfsigVerdict(t *testing.T, pdfsig, dir, file string) (valid, whole bool, out string) {
	t.Helper()
	out, err := run(t, dir, pdfsig, "-no-ocsp", file)
	if err != nil && !strings.Contains(out, "Signature") {
		t.Fatalf("pdfsig: %v\n%s", err, out)
	}
	return strings.Contains(out, "Signature Validation: Signature is Valid."), strings.Contains(out, "Total document signed"), out
}

// TestPDFSigAndQPDFAcceptSignedReport runs the checks an auditor runs on
// the report: pdfsig must find exactly one valid signature over the whole
// document, qpdf must find no structural errors, and openssl must verify the
// embedded CMS over the signed byte ranges.
func TestPDFSigAndQPDFAcceptSignedReport(t *testing.T) {
	pdfsig := requireTool(t, "pdfsig")
	qpdf := requireTool(t, "qpdf")
	openssl := requireTool(t, "openssl")
	for _, ts := range testSigners(t) {
		for _, compress := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/compress=%v", ts.name, compress), func(t *testing.T) {
				dir := t.TempDir()
				signed, err := SignPDF(makeReport(t, compress), ts.s, testPDFOptions())
				if err != nil {
					t.Fatal(err)
				}
				info, err := VerifyPDF(signed, ts.ca.Pool(), nil)
				if err != nil {
					t.Fatal(err)
				}
				writeFile(t, dir, "report.pdf", signed)

				valid, whole, out := pdfsigVerdict(t, pdfsig, dir, "report.pdf")
				if !valid || !whole || strings.Count(out, "Signature #") != 1 {
					t.Fatalf("pdfsig does not accept the signature:\n%s", out)
				}
				for _, want := range []string{"Signature Field Name: AuditSignature", "Signature Type: ETSI.CAdES.detached", "Signing Hash Algorithm: SHA-256"} {
					if !strings.Contains(out, want) {
						t.Errorf("pdfsig output lacks %q:\n%s", want, out)
					}
				}
				if out, err := run(t, dir, qpdf, "--check", "report.pdf"); err != nil || !strings.Contains(out, "No syntax or stream encoding errors") {
					t.Fatalf("qpdf --check: %v\n%s", err, out)
				}

				// The CMS alone, as an auditor would extract it.
				a, b := info.ByteRange[1], info.ByteRange[2]
				der, err := trimPadding(mustHexDecode(t, signed[a+1:b-1]))
				if err != nil {
					t.Fatal(err)
				}
				writeFile(t, dir, "sig.p7s", der)
				writeFile(t, dir, "signed-bytes", append(append([]byte{}, signed[:a]...), signed[b:]...))
				writeFile(t, dir, "ca.pem", EncodeCertificatesPEM(ts.ca.Root()))
				out, err = run(t, dir, openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.p7s",
					"-content", "signed-bytes", "-CAfile", "ca.pem", "-purpose", "any", "-out", filepath.Join(dir, "out"))
				if err != nil || !strings.Contains(out, "CMS Verification successful") {
					t.Fatalf("openssl cms -verify on the PDF signature: %v\n%s", err, out)
				}
			})
		}
	}
}

// TestPDFSigRejectsTampering makes sure the pdfsig check above can fail: a
// changed byte in the signed range and an update appended after signing
// must not be reported as a valid signature of the whole document.
func TestPDFSigRejectsTampering(t *testing.T) {
	pdfsig := requireTool(t, "pdfsig")
	ts := testSigners(t)[0]
	signed, err := SignPDF(makeReport(t, false), ts.s, testPDFOptions())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		pdf  []byte
	}{
		{"page text changed", flipAt(t, signed, "Requirement 2.5", 14)},
		{"update appended", appendUpdate(t, signed, updateInfo)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "report.pdf", tt.pdf)
			valid, whole, out := pdfsigVerdict(t, pdfsig, dir, "report.pdf")
			if valid && whole {
				t.Fatalf("pdfsig accepts the tampered report:\n%s", out)
			}
			t.Logf("pdfsig on tampered report:\n%s", out)
		})
	}
}
