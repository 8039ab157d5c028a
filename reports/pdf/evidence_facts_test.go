package pdf

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/reporttest"
)

// TestEvidenceIndexShowsReadAndStated holds the evidence chapter to
// showing, for an item whose file was read: the format, each fact read with
// its place, the facts only stated, the disagreement, the hosts covered,
// the newer items that superseded it and the rules served; and to wrapping a long list of values inside the page.
func TestEvidenceIndexShowsReadAndStated(t *testing.T) {
	pdf := render(t, reporttest.WithReadFacts(loadDemo(t)), demoOptions)
	text := rawText(t, pdf)
	start := strings.Index(text, "What the evidence files say")
	if start < 0 {
		t.Fatal("no section on what the evidence files say")
	}
	section := text[start:]
	if end := strings.Index(section, "Undeclared files"); end > 0 {
		section = section[:end]
	}
	flat := strings.Join(strings.Fields(section), " ")
	for _, want := range []string{
		reporttest.ReadItem,
		"testssl-json-pretty (testssl.sh 3.2rc3)",
		"covers: api-2.acmepay.example:443, api.acmepay.example:443",
		`tls.min_version = "1.0" (read from`,
		`stated "1.2")`,
		"tls.cert_trusted = true (stated, not read)",
		`tls.min_version: the manifest states "1.2"`,
		"superseded by EV-TLS-EDGE-2 (1 finding(s))",
		"served",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("section lacks %q:\n%s", want, section)
		}
	}
	index := text[:start]
	if i := strings.LastIndex(index, reporttest.ReadItem); i < 0 || !regexp.MustCompile(`^(?s).{0,600}[0-9a-f]{12}…?\s+testssl-json-pretty`).MatchString(index[i:]) {
		t.Error("the evidence index does not give the file's format under its hash")
	}
	checkInsidePage(t, pdf)
}

// rawText extracts a PDF's text in the order it is drawn, so that a cell's
// lines stay together whatever the columns beside it hold.
func rawText(t *testing.T, pdf []byte) string {
	t.Helper()
	out, err := exec.Command(tool(t, "pdftotext"), "-raw", "-enc", "UTF-8", writeTemp(t, "report.pdf", pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
