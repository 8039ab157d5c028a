// Package requests writes the evidence-request list as requests.csv, the
// file of an audit package an organisation imports into its own tracker.
package requests

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/reports/view"
)

// WriteCSV writes the requests as RFC 4180 CSV, a header row and one row
// per request, lines ended by CRLF (see [WriteCSVLines]). A cell a spreadsheet would take for a
// formula (starting with =, +, -, @, a tab or a carriage return) is
// written with a leading apostrophe, so that opening the file never runs
// text from a threat model or a manifest.
func WriteCSV(w io.Writer, rs []audit.EvidenceRequest) error { return WriteCSVLines(w, rs, true) }

// WriteCSVLines is [WriteCSV] with lines ended by CRLF or, for a terminal,
// by LF alone.
func WriteCSVLines(w io.Writer, rs []audit.EvidenceRequest, crlf bool) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = crlf
	if err := cw.Write(view.RequestHeader); err != nil {
		return fmt.Errorf("write requests.csv: %w", err)
	}
	for i := range rs {
		row := view.RequestRow(&rs[i])
		for j, c := range row {
			row[j] = Cell(c)
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write requests.csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write requests.csv: %w", err)
	}
	return nil
}

// Cell is s made safe for a spreadsheet to open: text a spreadsheet would
// read as a formula gets a leading apostrophe, and invalid UTF-8 becomes
// U+FFFD.
func Cell(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
