package signature

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
)

// reportTime fixes every date fpdf writes, so the test report is
// reproducible like the real one.
var reportTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// makeReport writes a small multi-page report the way reports/pdf will:
// deterministic settings, an external link and an internal link on page 1
// (so /Annots must be merged), and an outline.
func makeReport(t testing.TB, compress bool) []byte {
	t.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(reportTime)
	pdf.SetModificationDate(reportTime)
	pdf.SetCompression(compress)
	pdf.SetTitle("Audit report (PCI DSS v4.0.1)", false)
	pdf.SetAuthor("auditpack", false)
	pdf.SetFont("Helvetica", "", 12)
	pages := 3
	link := pdf.AddLink()
	for p := 1; p <= pages; p++ {
		pdf.AddPage()
		pdf.Bookmark(fmt.Sprintf("Section %d", p), 0, -1)
		pdf.CellFormat(0, 10, fmt.Sprintf("Control results, page %d of %d", p, pages), "", 1, "L", false, 0, "")
		if p == 1 {
			pdf.CellFormat(0, 10, "Evidence index (external)", "", 1, "L", false, 0, "https://example.com/evidence")
			pdf.CellFormat(0, 10, "Jump to the last page", "", 1, "L", false, link, "")
		}
		if p == pages {
			pdf.SetLink(link, 0, -1)
		}
		for i := 0; i < 20; i++ {
			pdf.CellFormat(0, 8, fmt.Sprintf("Requirement %d.%d: satisfied (evidence E-%03d)", p, i, i), "", 1, "L", false, 0, "")
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatalf("fpdf: %v", err)
	}
	return buf.Bytes()
}

func testPDFOptions() PDFOptions {
	return PDFOptions{
		SigningTime: TestSigningTime,
		Reason:      "Audit package for Example Payments, Q1 2026",
		Name:        "Example Payments compliance team",
		Location:    "Zürich",
	}
}
