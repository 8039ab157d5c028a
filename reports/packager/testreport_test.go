package packager

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
)

// testReport returns a two-page PDF written the way the real renderer writes
// one (fixed dates, sorted catalog, no compression), so that the same
// title and date always give the same bytes.
func testReport(tb testing.TB, title string, date time.Time) []byte {
	tb.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetCompression(false)
	pdf.SetTitle(title, false)
	pdf.SetAuthor("auditpack", false)
	pdf.SetFont("Helvetica", "", 12)
	for p := 1; p <= 2; p++ {
		pdf.AddPage()
		pdf.CellFormat(0, 10, fmt.Sprintf("%s, page %d, as of %s", title, p, date.Format(time.DateOnly)), "", 1, "L", false, 0, "")
		for i := 0; i < 5; i++ {
			pdf.CellFormat(0, 8, fmt.Sprintf("Requirement %d.%d: satisfied", p, i), "", 1, "L", false, 0, "")
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		tb.Fatalf("fpdf: %v", err)
	}
	return buf.Bytes()
}
