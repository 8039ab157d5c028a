package pdf

import (
	"bytes"
	"crypto/sha256"
	"os/exec"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/signature"
)

// TestReportCanBeSigned signs the rendered report the way the package
// builder does and verifies it the way `auditpack verify` does: the report
// must stay a single revision with a classic cross-reference table, and its
// outline and links must survive the signature update.
func TestReportCanBeSigned(t *testing.T) {
	for _, alg := range []string{signature.AlgECDSAP256, signature.AlgRSA2048} {
		t.Run(alg, func(t *testing.T) {
			ca := signature.NewTestCA(t, alg)
			signer := ca.Issue(t, alg, "auditpack report signer")
			report := render(t, loadDemo(t), demoOptions)
			signed, err := signature.SignPDF(report, signer, signature.PDFOptions{SigningTime: signature.TestSigningTime, Reason: "audit package"})
			if err != nil {
				t.Fatalf("SignPDF: %v", err)
			}
			info, err := signature.VerifyPDF(signed, ca.Pool(), signature.CertFingerprint(signer.Leaf))
			if err != nil {
				t.Fatalf("VerifyPDF: %v", err)
			}
			if info.UnsignedLength != int64(len(report)) || info.UnsignedSHA256 != sha256.Sum256(report) {
				t.Error("the rendered report must be the signed file's unsigned prefix")
			}
			if !bytes.HasPrefix(signed, report) {
				t.Error("signing changed the rendered bytes")
			}
			if got, want := len(outlineTitles(t, signed)), len(outlineTitles(t, report)); got != want {
				t.Errorf("signed report has %d bookmarks, the rendered one %d", got, want)
			}

			tampered := bytes.Clone(signed)
			i := bytes.Index(tampered, []byte("/Producer"))
			tampered[i+1] = 'p'
			if _, err := signature.VerifyPDF(tampered, ca.Pool(), nil); err == nil {
				t.Error("VerifyPDF accepted a changed report")
			}

			if alg == signature.AlgECDSAP256 {
				checkPdfsig(t, signed)
			}
		})
	}
}

// checkPdfsig asks poppler too, when it is installed. pdfsig exits 0 even on
// a broken signature, so its report is read.
func checkPdfsig(t *testing.T, signed []byte) {
	t.Helper()
	bin := tool(t, "pdfsig")
	out, err := exec.Command(bin, "-no-ocsp", writeTemp(t, "signed.pdf", signed)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfsig: %v\n%s", err, out)
	}
	for _, want := range []string{"Signature is Valid.", "Total document signed"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("pdfsig does not say %q:\n%s", want, out)
		}
	}
}
