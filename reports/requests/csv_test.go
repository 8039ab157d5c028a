package requests

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/view"
)

// requests.csv parses as CSV with one row per request under the header,
// keeps commas, quotes and line breaks inside cells, and never starts a
// cell with a character a spreadsheet reads as a formula.
func TestCSVParsesAndEscapesFormulas(t *testing.T) {
	rs := []audit.EvidenceRequest{
		{ID: "ER-000000000001", Need: audit.NeedMissing, Rule: "r1", Requirement: "scan", Controls: []string{"pci-dss:11.3.2"},
			Elements: []eval.ElementRef{{ID: "api", Name: "=HYPERLINK(\"http://x\")"}}, Kinds: []string{"asv-scan"},
			Shows: "a scan, \"passing\"\nover the quarter", PeriodTo: "2026-11-15", Owner: "+cmd|' /C calc'!A0", Due: "2026-11-29",
			Items: []string{}, Reason: "-2+3"},
		{ID: "ER-000000000002", Need: audit.NeedRenew, Rule: "r2", Elements: []eval.ElementRef{}, Owner: "@SUM(A1)",
			Shows: "\tTAB", Reason: "\rCR", PeriodTo: "2026-11-15", Due: "2026-11-29"},
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, rs); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || !slices.Equal(rows[0], view.RequestHeader) {
		t.Fatalf("rows %d, header %q", len(rows), rows[0])
	}
	col := func(name string) int { return slices.Index(view.RequestHeader, name) }
	for _, tc := range []struct {
		row  int
		col  string
		want string
	}{
		{1, "Request", "ER-000000000001"},
		{1, "Elements", "'api (=HYPERLINK(\"http://x\"))"[1:]}, // starts with "api": left as it is
		{1, "Owner", "'+cmd|' /C calc'!A0"},
		{1, "Why", "'-2+3"},
		{1, "Must show", "a scan, \"passing\"\nover the quarter"},
		{2, "Owner", "'@SUM(A1)"},
		{2, "Must show", "'\tTAB"},
		{2, "Elements", "(system)"},
	} {
		if got := rows[tc.row][col(tc.col)]; got != tc.want {
			t.Errorf("row %d %s = %q, want %q", tc.row, tc.col, got, tc.want)
		}
	}
	for _, row := range rows {
		for _, c := range row {
			if c != "" && slices.Contains([]byte("=+-@\t"), c[0]) {
				t.Errorf("cell %q starts a formula", c)
			}
		}
	}
	// \r at the start is escaped too; the CSV reader turns a quoted CR LF
	// or lone CR into LF, so the apostrophe is what is checked.
	if c := rows[2][col("Why")]; len(c) == 0 || c[0] != '\'' {
		t.Errorf("Why %q: want a leading apostrophe", c)
	}
}
