package pdf

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/reports/reporttest"
)

var update = flag.Bool("update", false, "rewrite the golden report text")

// demoOptions are the options the golden files were made with.
var demoOptions = Options{PackageID: "acme-pay-2026-11-15", Signer: "CN=auditpack demo signer, O=Acme Pay Ltd", DemoSignature: true,
	SigningTime: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}

// loadDemo decodes the shared demo results fixture.
func loadDemo(tb testing.TB) *audit.Results { return reporttest.Demo(tb) }

// render renders r or fails the test.
func render(tb testing.TB, r *audit.Results, opts Options) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, r, opts); err != nil {
		tb.Fatalf("Render: %v", err)
	}
	return buf.Bytes()
}

// tool returns the path of an external program, or skips the test with the
// reason; in CI (CI=true) a missing tool fails instead, so the checks cannot
// silently disappear.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI (apt-get install poppler-utils qpdf): %v", name, err)
		}
		t.Skipf("%s not installed (apt-get install poppler-utils qpdf); skipping this check", name)
	}
	return p
}

// writeTemp writes data to a file in a test directory and returns its path.
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pdftotext extracts the text of a PDF with poppler, keeping the layout so
// that table rows stay on one line.
func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	bin := tool(t, "pdftotext")
	in := writeTemp(t, "report.pdf", pdf)
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
